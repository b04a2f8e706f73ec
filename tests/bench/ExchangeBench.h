// ExchangeBench: the "exchange" benchmark section — K business-system clients over keep-alive
// mutual TLS driving online inquiries end to end, with a latency histogram.
#pragma once

#include <string>
#include <vector>

namespace chukan
{

/// `chukan-bench exchange --url URL --ca CA --cert CERT --key KEY --targets FILE …` runs K
/// threads, each with its own keep-alive Poco::Net::HTTPSClientSession presenting the business
/// system's client certificate. Every exchange is one InquiryRequest (POST /api/v1/inquiries)
/// until its result is final: with --mode wait (default) the POST carries ?wait=S and, should
/// the inquiry still be pending when the gateway answers 202, the client polls
/// GET /api/v1/inquiries/result; with --mode poll it always polls, every --poll-ms. Latency is
/// from the POST to the final result. Connections are opened (GET /health) before the clock
/// starts. --pid NAME=PID (repeatable) samples CPU seconds (/proc/PID/stat) before and after
/// and the peak RSS (VmHWM) of each server process. Prints Markdown tables and one key=value
/// line for scripts/bench. Bounded: N exchanges, each given up after --timeout seconds.
class ExchangeBench
{
public:
    static int run(const std::vector<std::string>& args);
    static const char* usage();
};

} // namespace chukan
