// Layout: a declarative fixed-length record layout loaded from conf/layouts/NAME.xml and validated.
#pragma once

#include "codecs/Charset.h"
#include "codecs/LayoutField.h"
#include "codecs/Result.h"

#include <string>
#include <vector>

namespace chukan
{

/// File format (see docs/formats.md, "Fixed-length layouts"):
///
///     <layout name="juki_resident" label="住民記録" length="280" encoding="cp932"
///     terminator="crlf">
///       <field name="atena_no" label="宛名番号" offset="0" length="15" type="9" zeros="keep"/>
///       <field name="sex" label="性別" offset="126" length="1" type="code">
///         <value code="1" label="男"/> <value code="2" label="女"/>
///       </field>
///     </layout>
///
/// Validation: fields are listed in offset order and tile the record exactly (no gap, no
/// overlap, lengths sum to the record length); names are unique [a-z0-9_]; N fields have even
/// lengths and need a double-byte encoding; type-specific lengths are checked. External
/// entities and DTDs are not loaded. Immutable after loading.
class Layout
{
public:
    enum Terminator
    {
        CRLF,
        LF,
        NONE
    };

    /// Reads and validates a layout file; errors name the file and the offending field.
    static Result<Layout> load(const std::string& path);
    /// Parses layout XML; `source` names it in messages.
    static Result<Layout> parse(const std::string& xml, const std::string& source);

    const std::string& name() const { return _name; }
    const std::string& label() const { return _label; }
    std::size_t recordLength() const { return _recordLength; }
    Charset::Id encoding() const { return _encoding; }
    Terminator terminator() const { return _terminator; }
    /// "\r\n", "\n" or "".
    const char* terminatorBytes() const
    {
        return _terminator == CRLF ? "\r\n" : _terminator == LF ? "\n" : "";
    }
    const char* terminatorName() const
    {
        return _terminator == CRLF ? "crlf" : _terminator == LF ? "lf" : "none";
    }
    const std::vector<LayoutField>& fields() const { return _fields; }
    /// The field with this name, or null.
    const LayoutField* field(const std::string& name) const;

private:
    Layout() = default;
    Status validate(const std::string& source) const;

    std::string _name;
    std::string _label;
    std::size_t _recordLength = 0;
    Charset::Id _encoding = Charset::CP932;
    Terminator _terminator = CRLF;
    std::vector<LayoutField> _fields;
};

} // namespace chukan
