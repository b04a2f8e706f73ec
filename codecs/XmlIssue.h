// XmlIssue: one problem found in an XML document, with its 1-based line and column (0 when not positional).
#pragma once

#include <string>

namespace chukan {

struct XmlIssue
{
    std::size_t line = 0;
    std::size_t column = 0;
    std::string message;

    /// "12:5: message", or just the message when there is no position.
    std::string toString() const
    {
        if (line == 0)
            return message;
        return std::to_string(line) + ":" + std::to_string(column) + ": " + message;
    }
};

} // namespace chukan
