// SandboxDataWriterTest: the sandbox files decode in their layouts and schema, match the manifest
// and are byte-identical per seed.
#include "tests/synth/SandboxDataWriter.h"
#include "codecs/Layout.h"
#include "codecs/LayoutCodec.h"
#include "codecs/MyNumber.h"
#include "codecs/ReplicaRegistrationCodec.h"
#include "codecs/XmlSchemaCatalog.h"

#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/TemporaryFile.h>

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace chukan;

namespace
{

std::string sourceDir()
{
    const char* env = std::getenv("CHUKAN_SRC");
    return env && *env ? std::string(env) : std::string(CHUKAN_SOURCE_DIR);
}

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

LayoutCodec codec(const std::string& name)
{
    Result<Layout> layout = Layout::load(sourceDir() + "/conf/layouts/" + name + ".xml");
    if (!layout)
        throw std::runtime_error(layout.status().message());
    return LayoutCodec(std::move(layout).value());
}

/// A fresh directory under the system temp dir, removed with everything in it.
class ScratchDir
{
public:
    ScratchDir() : _path(Poco::TemporaryFile::tempName()) { Poco::File(_path).createDirectories(); }
    ~ScratchDir()
    {
        try
        {
            Poco::File(_path).remove(true);
        }
        catch (...)
        {
        }
    }
    const std::string& path() const { return _path; }

private:
    std::string _path;
};

} // namespace

class SandboxDataWriterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SandboxDataWriterTest);
    CPPUNIT_TEST(filesDecodeAndMatchTheManifest);
    CPPUNIT_TEST(sameSeedSameBytes);
    CPPUNIT_TEST(refusesAZeroCount);
    CPPUNIT_TEST_SUITE_END();

    static SandboxDataWriter writer()
    {
        return SandboxDataWriter(codec("juki_resident"), codec("bulk_inquiry"));
    }

    static SandboxDataWriter::Summary write(const std::string& dir, std::uint64_t seed,
                                            std::uint64_t count, std::uint64_t batch)
    {
        SandboxDataWriter::Options o;
        o.outDir = dir;
        o.seed = seed;
        o.count = count;
        o.batch = batch;
        Result<SandboxDataWriter::Summary> s = writer().write(o);
        CPPUNIT_ASSERT_MESSAGE(s ? "" : s.status().message(), s.isOk());
        return s.value();
    }

public:
    void filesDecodeAndMatchTheManifest()
    {
        ScratchDir d;
        SandboxDataWriter::Summary s = write(d.path(), 9, 300, 40);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(300), s.persons);

        LayoutReport juki =
            codec("juki_resident").decode(slurp(d.path() + "/352063/juki_resident.dat"), 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), juki.errors.size());
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(s.jukiRecords), juki.records.size());
        LayoutReport held =
            codec("juki_resident").decode(slurp(d.path() + "/352063/juki_resident-held.dat"), 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), held.errors.size());
        CPPUNIT_ASSERT(s.jukiHeldRecords > 0);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(s.jukiHeldRecords), held.records.size());

        std::string bulkBytes = slurp(d.path() + "/121002/bulk_inquiry.dat");
        LayoutReport bulk = codec("bulk_inquiry").decode(bulkBytes, 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), bulk.errors.size());
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(s.bulkRecords), bulk.records.size());
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(s.bulkRecords) * 222, bulkBytes.size());
        CPPUNIT_ASSERT(!MyNumber::containsCandidate(bulkBytes));
        for (const char* outcome : {"normal", "held", "no_data", "no_fugo", "not_permitted"})
            CPPUNIT_ASSERT_MESSAGE(outcome, s.expected[outcome] > 0);
        std::uint64_t expectedTotal = 0;
        for (const auto& e : s.expected)
            expectedTotal += e.second;
        CPPUNIT_ASSERT_EQUAL(s.bulkRecords, expectedTotal);

        // 符号 requests: JSON, at most `batch` each, together every registered person.
        std::uint64_t fugo = 0;
        for (int i = 1;
             Poco::File(d.path() + "/121002/fugo-0000" + std::to_string(i) + ".json").exists(); ++i)
        {
            Poco::JSON::Parser parser;
            Poco::JSON::Object::Ptr o =
                parser.parse(slurp(d.path() + "/121002/fugo-0000" + std::to_string(i) + ".json"))
                    .extract<Poco::JSON::Object::Ptr>();
            std::size_t n = o->getArray("records")->size();
            CPPUNIT_ASSERT(n >= 1 && n <= 40);
            fugo += n;
        }
        CPPUNIT_ASSERT_EQUAL(s.requesterFugo, fugo);

        // 予防接種 副本: valid ReplicaRegistration messages.
        XmlSchemaCatalog catalog(sourceDir() + "/conf/schemas");
        ReplicaRegistrationCodec replica(
            catalog.get(ReplicaRegistrationCodec::SCHEMA_NAME).value());
        Result<ReplicaRegistration> first =
            replica.decode(slurp(d.path() + "/352063/vaccination-00001.xml"));
        CPPUNIT_ASSERT_MESSAGE(first ? "" : first.status().message(), first.isOk());
        CPPUNIT_ASSERT(!first.value().records.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("TM00000000000002"),
                             first.value().records[0].dataItemCode);

        Poco::JSON::Parser parser;
        Poco::JSON::Object::Ptr manifest =
            parser.parse(slurp(d.path() + "/manifest.json")).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(s.bulkRecords),
                             manifest->getObject("bulk")->getValue<int>("records"));
    }

    void sameSeedSameBytes()
    {
        ScratchDir a, b, c;
        write(a.path(), 77, 120, 50);
        write(b.path(), 77, 120, 50);
        write(c.path(), 78, 120, 50);
        for (const char* f :
             {"/121002/bulk_inquiry.dat", "/352063/juki_resident.dat", "/121002/fugo-00001.json",
              "/352063/vaccination-00001.xml", "/manifest.json"})
            CPPUNIT_ASSERT_MESSAGE(f, slurp(a.path() + f) == slurp(b.path() + f));
        CPPUNIT_ASSERT(slurp(a.path() + "/352063/juki_resident.dat") !=
                       slurp(c.path() + "/352063/juki_resident.dat"));
    }

    void refusesAZeroCount()
    {
        ScratchDir d;
        SandboxDataWriter::Options o;
        o.outDir = d.path();
        o.count = 0;
        Result<SandboxDataWriter::Summary> s = writer().write(o);
        CPPUNIT_ASSERT(!s.isOk());
        CPPUNIT_ASSERT(s.status().message().find("count") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SandboxDataWriterTest);
