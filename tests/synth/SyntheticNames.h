// SyntheticNames: fixed pools of invented names (kanji with kana) and address parts for synthetic
// residents.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace chukan
{

/// Every entry is made up; the pools only look like Japanese names and addresses. Some entries
/// carry CP932 extension characters on purpose: IBM extension kanji (髙, 﨑, 德, 彅: bytes
/// 0xFA-0xFC) in surnames and NEC row 13 symbols (①, №, ㈱, Ⅱ: bytes 0x87xx) in buildings.
/// None needs a 外字 table. The order of every pool is part of the generators' output: append,
/// never reorder, or the bytes for a given seed change.
class SyntheticNames
{
public:
    struct Name
    {
        const char* kanji; ///< 全角 kanji
        const char* kana;  ///< 全角 katakana
    };

    static const std::vector<Name>& surnames();
    static const std::vector<Name>& givenNames();
    /// Bench addresses: prefecture, city and town pools anywhere in Japan.
    static const std::vector<const char*>& prefectures();
    static const std::vector<const char*>& cities();
    static const std::vector<const char*>& towns();
    /// Invented 町名 used inside the sandbox's two cities (with the city's own prefix).
    static const std::vector<const char*>& sandboxTowns();
    /// Building names; empty entries mean "no building".
    static const std::vector<const char*>& buildings();

    /// n in 全角 digits: 12 -> "１２".
    static std::string wideNumber(std::size_t n);
};

} // namespace chukan
