// LogSetupTest: JSON log lines (escaping, request IDs, one line each) and size-based rotation with
// a bounded number of kept files.
#include "gateway/LogSetup.h"
#include "gateway/JsonLogFormatter.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/TemporaryFile.h>

#include <cppunit/extensions/HelperMacros.h>

#include <vector>

using namespace chukan;

class LogSetupTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LogSetupTest);
    CPPUNIT_TEST(testJsonLine);
    CPPUNIT_TEST(testEscapingKeepsOneLine);
    CPPUNIT_TEST(testFileAndRotation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _saved = Poco::Logger::root().getChannel();
        _savedLevel = Poco::Logger::root().getLevel();
    }
    void tearDown() override
    {
        Poco::Logger::setChannel("", _saved);
        Poco::Logger::setLevel("", _savedLevel);
    }

    static Poco::JSON::Object::Ptr parse(const std::string& line)
    {
        Poco::JSON::Parser p;
        return p.parse(line).extract<Poco::JSON::Object::Ptr>();
    }

    void testJsonLine()
    {
        JsonLogFormatter f("node-7");
        Poco::Message m("chukan.inquiry", "request R0123abcd tenant 121002: 照会 accepted 3",
                        Poco::Message::PRIO_WARNING);
        std::string line;
        f.format(m, line);
        CPPUNIT_ASSERT(line.find('\n') == std::string::npos);
        Poco::JSON::Object::Ptr o = parse(line);
        CPPUNIT_ASSERT_EQUAL(std::string("warning"), o->getValue<std::string>("level"));
        CPPUNIT_ASSERT_EQUAL(std::string("chukan.inquiry"), o->getValue<std::string>("logger"));
        CPPUNIT_ASSERT_EQUAL(std::string("node-7"), o->getValue<std::string>("node"));
        CPPUNIT_ASSERT_EQUAL(std::string("R0123abcd"), o->getValue<std::string>("requestId"));
        CPPUNIT_ASSERT_EQUAL(m.getText(), o->getValue<std::string>("text"));
        CPPUNIT_ASSERT(line.find("照会") != std::string::npos); // UTF-8 as is, not \u-escaped
        CPPUNIT_ASSERT_EQUAL(std::size_t(20 + 7), o->getValue<std::string>("time").size());

        std::string plain;
        f.format(Poco::Message("chukan", "node node-7: stopped", Poco::Message::PRIO_INFORMATION),
                 plain);
        CPPUNIT_ASSERT(!parse(plain)->has("requestId"));
    }

    void testEscapingKeepsOneLine()
    {
        JsonLogFormatter f("n");
        std::string text = "a \"quoted\" back\\slash\nnew line\ttab \x01 end";
        std::string line;
        f.format(Poco::Message("x", text, Poco::Message::PRIO_ERROR), line);
        CPPUNIT_ASSERT(line.find('\n') == std::string::npos);
        CPPUNIT_ASSERT(line.find('\x01') == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(text, parse(line)->getValue<std::string>("text"));
    }

    void testFileAndRotation()
    {
        Poco::TemporaryFile dir;
        dir.createDirectories();
        Settings s;
        s.nodeId = "node-r";
        s.logLevel = "information";
        s.logFormat = "json";
        s.logFile = dir.path() + "/logs/gw.log"; // the directory is created
        s.logRotateSize = "1 M";
        s.logKeep = 2;
        Status ok = LogSetup::apply(s);
        CPPUNIT_ASSERT_MESSAGE(ok.message(), ok.isOk());
        Poco::Logger& log = Poco::Logger::get("chukan.test.rotation");
        log.debug("below the level: not written");
        std::string pad(400, 'x');
        for (int i = 0; i < 12000; ++i) // ~5.5 MB: several rotations
            log.information("request Rrot%d counted %s", i, pad);
        Poco::Logger::setChannel("", _saved); // closes the file

        CPPUNIT_ASSERT(Poco::File(s.logFile).exists());
        // Rotated files are gw.log.N; at most `keep` of them are left (which numbers survive
        // depends on modification times, equal within this test), none above the size.
        std::vector<std::string> names;
        Poco::File(dir.path() + "/logs").list(names);
        int rotated = 0;
        for (const std::string& n : names)
        {
            if (n == "gw.log")
                continue;
            CPPUNIT_ASSERT_MESSAGE(n, n.rfind("gw.log.", 0) == 0);
            ++rotated;
            CPPUNIT_ASSERT(Poco::File(dir.path() + "/logs/" + n).getSize() <= 1100 * 1024);
        }
        CPPUNIT_ASSERT_EQUAL(2, rotated); // ~5.5 MB written, 1 MB files, 2 kept
        Poco::FileInputStream in(s.logFile);
        std::string line;
        int lines = 0;
        while (std::getline(in, line))
        {
            Poco::JSON::Object::Ptr o = parse(line);
            CPPUNIT_ASSERT(o->getValue<std::string>("requestId").rfind("Rrot", 0) == 0);
            CPPUNIT_ASSERT(line.find("below the level") == std::string::npos);
            ++lines;
        }
        CPPUNIT_ASSERT(lines > 0);
    }

private:
    Poco::Channel::Ptr _saved;
    int _savedLevel = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogSetupTest);
