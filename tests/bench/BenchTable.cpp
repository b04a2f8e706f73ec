// BenchTable: best-of-N wall-clock timing and Markdown output.
#include "tests/bench/BenchTable.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace chukan
{

double BenchTable::bestOf(int runs, const std::function<void()>& body)
{
    double best = std::numeric_limits<double>::max();
    for (int i = 0; i < runs; ++i)
    {
        auto start = std::chrono::steady_clock::now();
        body();
        std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
    }
    return best;
}

const BenchTable::Row* BenchTable::find(const std::string& name) const
{
    for (const Row& r : _rows)
        if (r.name == name)
            return &r;
    return nullptr;
}

void BenchTable::print(const std::string& title, int runs) const
{
    std::printf("### %s (best of %d)\n\n", title.c_str(), runs);
    std::printf("| what | input MB | best s | MB/s | %s/s | %s | note |\n", _itemName.c_str(),
                _referenceLabel.c_str());
    std::printf("|---|---:|---:|---:|---:|---:|---|\n");
    for (const Row& r : _rows)
    {
        char items[32] = "—", relative[32] = "—";
        double mb = static_cast<double>(r.bytes) / 1e6;
        if (r.items && r.seconds > 0)
            std::snprintf(items, sizeof items, "%.0f", static_cast<double>(r.items) / r.seconds);
        const Row* ref = r.reference.empty() ? nullptr : find(r.reference);
        if (ref && ref->seconds > 0 && r.seconds > 0 && ref->bytes == r.bytes)
            std::snprintf(relative, sizeof relative, "%.2f×", ref->seconds / r.seconds);
        std::printf("| %s | %.1f | %.3f | %.0f | %s | %s | %s |\n", r.name.c_str(), mb, r.seconds,
                    r.seconds > 0 ? mb / r.seconds : 0.0, items, relative, r.note.c_str());
    }
    std::printf("\n");
}

} // namespace chukan
