// FileCacheTest: a file is read once, read again after it is replaced, and a missing file throws.
#include "gateway/FileCache.h"
#include "tests/support/TestStore.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class FileCacheTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FileCacheTest);
    CPPUNIT_TEST(testReadOnceAndAgainWhenReplaced);
    CPPUNIT_TEST(testMissingFileThrows);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _dir = test::makeTempDir("chukan-filecache"); }
    void tearDown() override { Poco::File(_dir).remove(true); }

    void testReadOnceAndAgainWhenReplaced()
    {
        FileCache cache;
        write(_dir + "/key.pem", "first key");
        CPPUNIT_ASSERT_EQUAL(std::string("first key"), cache.read(_dir + "/key.pem"));
        CPPUNIT_ASSERT_EQUAL(std::string("first key"), cache.read(_dir + "/key.pem"));
        // Renewal replaces the file (same size, new inode): the new content is served.
        write(_dir + "/key.new", "other key");
        Poco::File(_dir + "/key.new").renameTo(_dir + "/key.pem");
        CPPUNIT_ASSERT_EQUAL(std::string("other key"), cache.read(_dir + "/key.pem"));
    }

    void testMissingFileThrows()
    {
        FileCache cache;
        CPPUNIT_ASSERT_THROW(cache.read(_dir + "/absent.pem"), Poco::FileException);
        write(_dir + "/k.pem", "k");
        cache.read(_dir + "/k.pem");
        Poco::File(_dir + "/k.pem").remove();
        CPPUNIT_ASSERT_THROW(cache.read(_dir + "/k.pem"), Poco::FileException); // not served stale
    }

private:
    static void write(const std::string& path, const std::string& text)
    {
        Poco::FileOutputStream out(path);
        out << text;
    }
    std::string _dir;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FileCacheTest);
