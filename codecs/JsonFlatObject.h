// JsonFlatObject: a direct reader for the one JSON shape the network signs most, an object of
// string members.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace chukan
{

/// Reads `json` when it is exactly one object whose members are all plain strings (JSON white
/// space around tokens; ASCII, the short escapes and \uXXXX below U+0080; no name twice) and
/// returns its members in order. Anything else returns false and is left to Poco's parser, so odd
/// input gets Poco's usual result and message. Poco's parser (a Var per value, an istream over the
/// text) cost 110–170k instructions for a permit or an envelope; this costs a few thousand.
class JsonFlatObject
{
public:
    using Members = std::vector<std::pair<std::string, std::string>>;
    static bool read(const std::string& json, Members& members);
};

} // namespace chukan
