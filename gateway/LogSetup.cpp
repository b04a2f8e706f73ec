// LogSetup: one formatting channel (JSON lines or text) over stderr or a rotating file, for every
// logger.
#include "gateway/LogSetup.h"

#include "gateway/JsonLogFormatter.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/File.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>

namespace chukan
{

Status LogSetup::apply(const Settings& s)
{
    Poco::AutoPtr<Poco::Channel> sink;
    if (s.logFile.empty())
        sink = new Poco::ConsoleChannel(std::clog);
    else
    {
        try
        {
            Poco::Path dir = Poco::Path(s.logFile).parent();
            if (!dir.toString().empty())
                Poco::File(dir).createDirectories();
            Poco::AutoPtr<Poco::FileChannel> file(new Poco::FileChannel(s.logFile));
            file->setProperty(Poco::FileChannel::PROP_ROTATION, s.logRotateSize);
            file->setProperty(Poco::FileChannel::PROP_ARCHIVE, "number");
            file->setProperty(Poco::FileChannel::PROP_PURGECOUNT, std::to_string(s.logKeep));
            file->setProperty(Poco::FileChannel::PROP_TIMES, "utc");
            file->open();
            sink = file;
        }
        catch (const Poco::Exception& e)
        {
            return Status::invalid("chukan.log.file: cannot open '" + s.logFile +
                                   "': " + e.displayText());
        }
    }
    Poco::AutoPtr<Poco::Formatter> formatter;
    if (s.logFormat == "text")
    {
        formatter = new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%FZ %p %s: %t");
        formatter->setProperty(Poco::PatternFormatter::PROP_TIMES, "UTC");
    }
    else
        formatter = new JsonLogFormatter(s.nodeId);
    Poco::AutoPtr<Poco::Channel> channel(new Poco::FormattingChannel(formatter, sink));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(s.logLevel);
    Poco::Logger::setChannel("", channel); // every logger made before this call
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(s.logLevel));
    return Status::ok();
}

} // namespace chukan
