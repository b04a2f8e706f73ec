// JsonLogFormatter: formats a log message as one JSON object a line (time, level, logger, node,
// thread, request ID, text).
#pragma once

#include <Poco/Formatter.h>
#include <Poco/Message.h>

#include <string>

namespace chukan
{

/// {"time":"2026-12-01T21:00:00.123456Z","level":"information","logger":"chukan.inquiry",
///  "node":"node-1","thread":7,"requestId":"…","text":"…"}
/// requestId is present when the text names one ("request R…"), as every pipeline log line
/// does. UTF-8 passes through unescaped; quotes, backslashes and control characters are
/// escaped, so a line is always one line. Log texts carry IDs and counts only (never names,
/// addresses or numbers of persons): the formatter adds nothing from outside the message.
class JsonLogFormatter : public Poco::Formatter
{
public:
    explicit JsonLogFormatter(std::string nodeId);
    void format(const Poco::Message& message, std::string& text) override;

private:
    std::string _nodeId;
};

} // namespace chukan
