// Metrics: named counters and latency histograms, declared up front and rendered in Prometheus text format.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chukan {

class Counter
{
public:
    void inc(std::uint64_t n = 1) { _value.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return _value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> _value{0};
};

/// Fixed buckets (seconds) for request latency.
class Histogram
{
public:
    static const std::vector<double>& bounds();
    Histogram();
    void observe(double seconds);
    std::uint64_t count() const { return _count.load(std::memory_order_relaxed); }
    /// Cumulative counts per bucket bound (for rendering).
    std::vector<std::uint64_t> cumulative() const;
    double sum() const;

private:
    std::unique_ptr<std::atomic<std::uint64_t>[]> _buckets;
    std::atomic<std::uint64_t> _count{0};
    std::atomic<std::uint64_t> _sumMicros{0};
};

/// Thread-safe. counter()/histogram() return references that stay valid for the registry's
/// lifetime, so stages resolve them once at construction and only increment afterwards.
class Metrics
{
public:
    /// name is a Prometheus metric name; labels are rendered as given, e.g. decision="allowed".
    Counter& counter(const std::string& name, const std::string& labels = "", const std::string& help = "");
    Histogram& histogram(const std::string& name, const std::string& labels = "", const std::string& help = "");
    /// The Prometheus text exposition (version 0.0.4) of every metric.
    std::string render() const;
    /// Value of a counter, 0 if it was never declared (tests).
    std::uint64_t value(const std::string& name, const std::string& labels = "") const;

private:
    mutable std::mutex _mutex;
    std::map<std::string, std::string> _help;
    std::map<std::pair<std::string, std::string>, std::unique_ptr<Counter>> _counters;
    std::map<std::pair<std::string, std::string>, std::unique_ptr<Histogram>> _histograms;
};

} // namespace chukan
