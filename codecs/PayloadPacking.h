// PayloadPacking: the lossless, shorter form in which the store keeps a 副本 payload of the
// <Record layout=…><Field name=…>…</Field>…</Record> shape that file imports write.
#pragma once

#include <optional>
#include <string>

namespace chukan
{

/// A payload of exactly the shape ReplicaFileImporter::payloadXml writes —
///
///     <Record layout="L"><Field name="N1">V1</Field>…<Field name="Nk">Vk</Field></Record>
///
/// with no '"' in L or a name, no '<' in a value, and no U+001E or U+001F anywhere (XML 1.0
/// allows neither, so no XML payload carries one) — is kept as
///
///     U+001F 'R' L (U+001E Ni U+001F Vi)…
///
/// — each field's 23 bytes of markup become 2 separators, the record's 27 become 2: a 副本
/// 住民記録 of about 500 bytes becomes about 260, and the database writes half the bytes a row (the
/// import's server time follows the bytes, docs/performance.md). The values stay escaped as
/// they were, so unpack() rebuilds the same bytes. Any other payload is kept as it is, except
/// one that itself starts with U+001F (never XML), kept behind U+001F 'X'. So unpack(pack(p))
/// == p for every p, and a payload stored before packing existed (XML, never starting with
/// U+001F) reads back unchanged.
class PayloadPacking
{
public:
    static std::string pack(const std::string& payload);
    /// The payload a stored value holds: stored itself unless it starts with U+001F.
    static std::string unpack(const std::string& stored);
    static std::optional<std::string> unpack(const std::optional<std::string>& stored);
    /// True when the stored value holds payload: stored == packed (pack(payload)) or, for a
    /// value stored before packing, stored == payload. Cheaper than unpacking.
    static bool holds(const std::string& stored, const std::string& payload,
                      const std::string& packed)
    {
        return stored == packed || (packed != payload && stored == payload);
    }

    static constexpr char UNIT = '\x1f';   ///< starts a packed value; separates name from value
    static constexpr char RECORD = '\x1e'; ///< starts a field of a packed record
};

} // namespace chukan
