// SignedPayload: strict reader for the JSON payloads the network signs (permits, permission list, directory).
#pragma once

#include "codecs/Result.h"

#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <set>
#include <string>
#include <vector>

namespace chukan {

/// Every payload is one JSON object with a "type" member naming what it is, so a signed
/// directory can never be accepted where a permit is expected. Accessors return
/// INVALID_ARGUMENT naming the document (`where`), the member and the reason.
class SignedPayload
{
public:
    /// Parses `json` and requires "type" == `type`.
    static Result<SignedPayload> parse(const std::string& json, const std::string& type);

    /// A required string member (non-empty).
    Result<std::string> string(const std::string& name) const;
    /// A required 16-character code of ASCII capital letters and digits (機関コード, 事務コード, …).
    Result<std::string> code16(const std::string& name) const;
    /// A required ISO 8601 time (SignedTime).
    Result<Poco::Timestamp> time(const std::string& name) const;
    /// A required array whose elements are objects; each is labelled "<where> <name>[i]".
    Result<std::vector<SignedPayload>> objects(const std::string& name) const;
    /// INVALID_ARGUMENT for any member not in `allowed` (so nothing unexpected rides along).
    Status onlyMembers(const std::set<std::string>& allowed) const;

    const std::string& where() const { return _where; }

    /// A 16-character code as code16() accepts it.
    static bool isCode16(const std::string& s);
    /// Serialises members sorted by name, no whitespace (the form the network signs).
    static std::string stringify(const Poco::JSON::Object& obj);

private:
    SignedPayload(Poco::JSON::Object::Ptr obj, std::string where) : _obj(std::move(obj)), _where(std::move(where)) {}

    Poco::JSON::Object::Ptr _obj;
    std::string _where;
};

} // namespace chukan
