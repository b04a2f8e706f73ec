// FuzzRegressionTest: minimal reproductions of what the libFuzzer targets (tests/fuzz) found.
#include "codecs/CsvReader.h"
#include "codecs/CsvWriter.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class FuzzRegressionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FuzzRegressionTest);
    CPPUNIT_TEST(testCsvLeadingZeroWidthNoBreakSpaceSurvives);
    CPPUNIT_TEST(testCsvSingleEmptyFieldSurvives);
    CPPUNIT_TEST_SUITE_END();

public:
    /// fuzz-csv: a first field starting with U+FEFF was written bare at the start of the file,
    /// and reading it back dropped the character as a byte order mark.
    void testCsvLeadingZeroWidthNoBreakSpaceSurvives()
    {
        const std::string zwnbsp = "\xEF\xBB\xBF"; // U+FEFF, the UTF-8 byte order mark
        CsvReader::Options noHeader;
        noHeader.header = false;
        CsvWriter w;
        CPPUNIT_ASSERT(w.writeRecord({zwnbsp + "a", "b"}).isOk());
        CPPUNIT_ASSERT_EQUAL("\"" + zwnbsp + "a\",b\r\n", w.bytes());
        CsvReader::Table t = CsvReader::read(w.bytes(), noHeader);
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), t.records.size());
        CPPUNIT_ASSERT_EQUAL(zwnbsp + "a", t.records[0].fields[0]);
    }

    /// fuzz-csv: a record of one empty field was written as an empty line, which reading skips.
    void testCsvSingleEmptyFieldSurvives()
    {
        CsvWriter w;
        CPPUNIT_ASSERT(w.writeRecord({"h"}).isOk());
        CPPUNIT_ASSERT(w.writeRecord({""}).isOk());
        CPPUNIT_ASSERT(w.writeRecord({"x"}).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("h\r\n\"\"\r\nx\r\n"), w.bytes());
        CsvReader::Table t = CsvReader::read(w.bytes());
        CPPUNIT_ASSERT(t.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), t.records[0].fields[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("x"), t.records[1].fields[0]);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FuzzRegressionTest);
