// Metrics: lock-free increments, a mutex only when declaring or rendering.
#include "gateway/Metrics.h"

#include <sstream>

namespace chukan {

const std::vector<double>& Histogram::bounds()
{
    static const std::vector<double> b = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    return b;
}

Histogram::Histogram() : _buckets(new std::atomic<std::uint64_t>[bounds().size()])
{
    for (std::size_t i = 0; i < bounds().size(); ++i)
        _buckets[i].store(0);
}

void Histogram::observe(double seconds)
{
    const std::vector<double>& b = bounds();
    for (std::size_t i = 0; i < b.size(); ++i)
        if (seconds <= b[i])
        {
            _buckets[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    _count.fetch_add(1, std::memory_order_relaxed);
    _sumMicros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative() const
{
    std::vector<std::uint64_t> out;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < bounds().size(); ++i)
    {
        running += _buckets[i].load(std::memory_order_relaxed);
        out.push_back(running);
    }
    return out;
}

double Histogram::sum() const
{
    return _sumMicros.load(std::memory_order_relaxed) / 1e6;
}

Counter& Metrics::counter(const std::string& name, const std::string& labels, const std::string& help)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (!help.empty())
        _help[name] = help;
    auto& slot = _counters[{name, labels}];
    if (!slot)
        slot.reset(new Counter);
    return *slot;
}

Histogram& Metrics::histogram(const std::string& name, const std::string& labels, const std::string& help)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (!help.empty())
        _help[name] = help;
    auto& slot = _histograms[{name, labels}];
    if (!slot)
        slot.reset(new Histogram);
    return *slot;
}

std::uint64_t Metrics::value(const std::string& name, const std::string& labels) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _counters.find({name, labels});
    return it == _counters.end() ? 0 : it->second->value();
}

std::string Metrics::render() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    std::ostringstream out;
    std::string last;
    for (const auto& [key, c] : _counters)
    {
        if (key.first != last)
        {
            auto h = _help.find(key.first);
            if (h != _help.end())
                out << "# HELP " << key.first << " " << h->second << "\n";
            out << "# TYPE " << key.first << " counter\n";
            last = key.first;
        }
        out << key.first;
        if (!key.second.empty())
            out << "{" << key.second << "}";
        out << " " << c->value() << "\n";
    }
    last.clear();
    for (const auto& [key, hist] : _histograms)
    {
        if (key.first != last)
        {
            auto h = _help.find(key.first);
            if (h != _help.end())
                out << "# HELP " << key.first << " " << h->second << "\n";
            out << "# TYPE " << key.first << " histogram\n";
            last = key.first;
        }
        std::string sep = key.second.empty() ? "" : key.second + ",";
        std::vector<std::uint64_t> cum = hist->cumulative();
        for (std::size_t i = 0; i < cum.size(); ++i)
            out << key.first << "_bucket{" << sep << "le=\"" << Histogram::bounds()[i] << "\"} " << cum[i] << "\n";
        out << key.first << "_bucket{" << sep << "le=\"+Inf\"} " << hist->count() << "\n";
        std::string lbl = key.second.empty() ? "" : "{" + key.second + "}";
        out << key.first << "_sum" << lbl << " " << hist->sum() << "\n";
        out << key.first << "_count" << lbl << " " << hist->count() << "\n";
    }
    return out.str();
}

} // namespace chukan
