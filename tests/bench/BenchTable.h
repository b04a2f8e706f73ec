// BenchTable: timing helpers and the Markdown result table every benchmark section prints.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace chukan
{

/// One row per measurement: what ran, how much input it consumed and its best wall time.
/// print() writes a Markdown table (so it can be pasted into docs/performance.md) with MB/s
/// (MB = 10^6 bytes of input), items/s when items were counted, and the speed relative to the
/// row a row names as its reference (same input bytes).
class BenchTable
{
public:
    struct Row
    {
        std::string name;
        std::size_t bytes = 0;
        std::size_t items = 0; ///< records, lines, messages…; 0 = not counted
        double seconds = 0;    ///< best of the runs
        std::string reference; ///< name of the row to compare with ("" = none)
        std::string note;
    };

    /// itemName: what items/s counts ("records"); referenceLabel: header of the comparison
    /// column ("vs iconv(3)").
    BenchTable(std::string itemName, std::string referenceLabel)
        : _itemName(std::move(itemName)), _referenceLabel(std::move(referenceLabel))
    {
    }

    /// Runs `body` `runs` times and returns the shortest wall time in seconds.
    static double bestOf(int runs, const std::function<void()>& body);

    void add(Row row) { _rows.push_back(std::move(row)); }
    void print(const std::string& title, int runs) const;

private:
    const Row* find(const std::string& name) const;

    std::string _itemName;
    std::string _referenceLabel;
    std::vector<Row> _rows;
};

} // namespace chukan
