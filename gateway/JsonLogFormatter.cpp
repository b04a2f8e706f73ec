// JsonLogFormatter: one JSON object a line per log message, for log collectors.
#include "gateway/JsonLogFormatter.h"

#include "codecs/JsonText.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

namespace chukan
{

namespace
{

const char* levelName(Poco::Message::Priority p)
{
    switch (p)
    {
    case Poco::Message::PRIO_FATAL:
        return "fatal";
    case Poco::Message::PRIO_CRITICAL:
        return "critical";
    case Poco::Message::PRIO_ERROR:
        return "error";
    case Poco::Message::PRIO_WARNING:
        return "warning";
    case Poco::Message::PRIO_NOTICE:
        return "notice";
    case Poco::Message::PRIO_INFORMATION:
        return "information";
    case Poco::Message::PRIO_DEBUG:
        return "debug";
    case Poco::Message::PRIO_TRACE:
        return "trace";
    }
    return "information";
}

/// The token after "request " in a pipeline log text, if any.
std::string requestIdOf(const std::string& text)
{
    static const std::string key = "request ";
    std::size_t at = text.find(key);
    while (at != std::string::npos && at > 0 && text[at - 1] != ' ' && text[at - 1] != '(')
        at = text.find(key, at + 1);
    if (at == std::string::npos)
        return std::string();
    std::size_t from = at + key.size(), to = from;
    while (to < text.size() && (std::isalnum(static_cast<unsigned char>(text[to])) ||
                                text[to] == '-' || text[to] == '_'))
        ++to;
    return to - from >= 4 ? text.substr(from, to - from) : std::string();
}

} // namespace

JsonLogFormatter::JsonLogFormatter(std::string nodeId) : _nodeId(std::move(nodeId)) {}

void JsonLogFormatter::format(const Poco::Message& message, std::string& text)
{
    text.reserve(text.size() + message.getText().size() + 160);
    text += "{\"time\":\"";
    text += Poco::DateTimeFormatter::format(message.getTime(), "%Y-%m-%dT%H:%M:%S.%FZ");
    text += "\",\"level\":\"";
    text += levelName(message.getPriority());
    text += "\",\"logger\":\"";
    JsonText::appendEscaped(text, message.getSource());
    text += "\",\"node\":\"";
    JsonText::appendEscaped(text, _nodeId);
    text += "\",\"thread\":";
    text += std::to_string(message.getTid());
    std::string request = requestIdOf(message.getText());
    if (!request.empty())
    {
        text += ",\"requestId\":\"";
        JsonText::appendEscaped(text, request);
        text += "\"";
    }
    text += ",\"text\":\"";
    JsonText::appendEscaped(text, message.getText());
    text += "\"}";
}

} // namespace chukan
