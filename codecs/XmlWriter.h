// XmlWriter: builds a small UTF-8 XML document with correct escaping and CDATA sections that survive "]]>" and CR.
#pragma once

#include "codecs/Status.h"

#include <string>
#include <utility>
#include <vector>

namespace chukan {

/// Writes `<?xml version="1.0" encoding="UTF-8"?>` then indented elements. Text and attribute
/// values are escaped (& < > " and, in attributes, TAB CR LF as character references). data()
/// writes a CDATA section, split at every "]]>" ("]]]]><![CDATA[>"); when the value holds a CR
/// (which a CDATA section cannot carry: parsers turn CR and CRLF into LF) it writes escaped text
/// with &#13; instead, so every byte of the content survives the round trip.
/// Values must be valid UTF-8 of characters XML 1.0 allows; the first that is not makes
/// status() an INVALID_ARGUMENT naming the element, and the output must not be used.
class XmlWriter
{
public:
    using Attributes = std::vector<std::pair<std::string, std::string>>;

    XmlWriter();

    void start(const std::string& name, const Attributes& attributes = {});
    void end();
    /// <name>escaped value</name>
    void text(const std::string& name, const std::string& value);
    /// <name attrs>CDATA-safe value</name>
    void data(const std::string& name, const std::string& value, const Attributes& attributes = {});
    /// <name attrs/>
    void empty(const std::string& name, const Attributes& attributes = {});
    /// Appends `document`, written by another XmlWriter (whose status() was OK), without its XML
    /// declaration, as the next child of the open element. Not checked again.
    void document(const std::string& document);

    const Status& status() const { return _status; }
    /// REQUIRES: every start() has been end()ed.
    const std::string& str() const { return _out; }

    static std::string escape(const std::string& value, bool attribute);
    /// escape() appending to `out` (no temporary string).
    static void appendEscaped(std::string& out, const std::string& value, bool attribute);
    static std::string cdata(const std::string& value);
    /// Empty string when value is acceptable XML 1.0 character data, else the reason.
    static std::string checkCharacters(const std::string& value);

private:
    void open(const std::string& name, const Attributes& attributes, bool selfClose);
    void check(const std::string& name, const std::string& value);

    std::string _out;
    std::vector<std::string> _open;
    Status _status;
};

} // namespace chukan
