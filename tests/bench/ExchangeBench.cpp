// ExchangeBench: worker threads with keep-alive HTTPS sessions, online inquiries to completion,
// percentiles and per-process CPU/RSS.
#include "tests/bench/ExchangeBench.h"

#include "tests/bench/ProcStats.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace chukan
{

namespace
{

using Clock = std::chrono::steady_clock;

struct Options
{
    std::string url, ca, cert, key, targets, provider = "3520630000000000";
    std::string mode = "wait";
    int clients = 8;
    std::size_t exchanges = 1000;
    int waitSeconds = 10;
    int pollMs = 10;
    int timeoutSeconds = 60;
    std::vector<std::pair<std::string, int>> pids;
    std::size_t warmup = 0;   ///< exchanges before the measured ones, by the same clients
    std::string readyCommand; ///< run (sh -c) after the connections and the warm-up, before the clock
};

struct Target
{
    std::string atena, item, procedure;
};

/// The outcome of one exchange.
enum Outcome
{
    COMPLETED,
    ABORTED,
    REFUSED, ///< 4xx on the POST (not accepted)
    FAILED,  ///< transport error or 5xx
    TIMED_OUT
};

const char* const OUTCOME_NAMES[] = {"completed", "aborted", "refused", "failed", "timed out"};

struct Shared
{
    const Options* options = nullptr;
    std::vector<Target> targets;
    std::string runId;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> warmNext{0};
    std::atomic<int> ready{0};  ///< clients connected
    std::atomic<bool> go{false}; ///< start the warm-up
    std::atomic<int> warmed{0};  ///< clients through the warm-up
    std::atomic<bool> measure{false};
    std::mutex mutex;
    std::vector<double> latenciesMs; ///< completed exchanges only
    std::size_t outcomes[5] = {0, 0, 0, 0, 0};
    std::size_t polls = 0;
    std::string firstProblem;
};

std::string between(const std::string& s, const std::string& open, const std::string& close)
{
    std::size_t a = s.find(open);
    if (a == std::string::npos)
        return "";
    a += open.size();
    std::size_t b = s.find(close, a);
    return b == std::string::npos ? "" : s.substr(a, b - a);
}

std::string inquiryXml(const std::string& id, const Target& t, const std::string& provider)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<InquiryRequest xmlns=\"urn:chukan:inquiry:1\"><MessageHeader><MessageID>" +
           id +
           "</MessageID><MessageType>InquiryRequest</MessageType><Mode>live</Mode>"
           "<SourceSystem>juki</SourceSystem><DestinationSystem>chukan</DestinationSystem>"
           "</MessageHeader><Inquiry><TougouAtenaNo>" +
           t.atena +
           "</TougouAtenaNo><JimuCode>JM01000000121000</JimuCode>"
           "<JimuTetsuzukiCode>" +
           t.procedure + "</JimuTetsuzukiCode><DataItemCode>" + t.item +
           "</DataItemCode><ProviderCode>" + provider +
           "</ProviderCode><Condition><ConditionKind>1</ConditionKind><YearKind>1</YearKind>"
           "</Condition><ResultFormat>xml</ResultFormat></Inquiry></InquiryRequest>\n";
}

/// One request on the keep-alive session; returns the HTTP status and fills body.
int send(Poco::Net::HTTPSClientSession& session, const std::string& method, const std::string& path,
         const std::string* body, std::string& reply)
{
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    if (body)
    {
        req.setContentType("application/xml");
        req.setContentLength(static_cast<std::streamsize>(body->size()));
        session.sendRequest(req) << *body;
    }
    else
        session.sendRequest(req);
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    reply.clear();
    Poco::StreamCopier::copyToString(in, reply);
    return res.getStatus();
}

void client(Shared& shared, Poco::Net::Context::Ptr context, int index)
{
    const Options& o = *shared.options;
    Poco::URI uri(o.url);
    Poco::Net::HTTPSClientSession session(uri.getHost(), uri.getPort(), context);
    session.setKeepAlive(true);
    session.setTimeout(Poco::Timespan(o.timeoutSeconds, 0));
    std::string reply;
    try
    {
        send(session, "GET", "/health", nullptr, reply); // the TLS handshake, before the clock
    }
    catch (const Poco::Exception& e)
    {
        std::lock_guard<std::mutex> lock(shared.mutex);
        if (shared.firstProblem.empty())
            shared.firstProblem =
                "client " + std::to_string(index) + " /health: " + e.displayText();
    }
    ++shared.ready;
    while (!shared.go.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));

    std::vector<double> latencies;
    std::size_t outcomes[5] = {0, 0, 0, 0, 0};
    std::size_t polls = 0;
    std::string problem;
    const std::string postPath =
        "/api/v1/inquiries" + (o.mode == "wait" ? "?wait=" + std::to_string(o.waitSeconds) : "");
    // The warm-up's exchanges are numbered after the measured ones (serials stay unique); what
    // they did is not kept.
    bool warming = o.warmup > 0;
    while (!warming && !shared.measure.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (;;)
    {
        std::size_t i = 0;
        if (warming)
        {
            i = shared.warmNext.fetch_add(1);
            if (i >= o.warmup)
            {
                warming = false;
                latencies.clear();
                std::fill(std::begin(outcomes), std::end(outcomes), std::size_t(0));
                polls = 0;
                problem.clear();
                ++shared.warmed;
                while (!shared.measure.load())
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                continue;
            }
            i += o.exchanges;
        }
        else
        {
            i = shared.next.fetch_add(1);
            if (i >= o.exchanges)
                break;
        }
        const Target& t = shared.targets[i % shared.targets.size()];
        const std::string body =
            inquiryXml("BENCH-" + shared.runId + "-" + std::to_string(i), t, o.provider);
        const auto start = Clock::now();
        const auto deadline = start + std::chrono::seconds(o.timeoutSeconds);
        Outcome outcome = FAILED;
        try
        {
            int status = send(session, "POST", postPath, &body, reply);
            std::string state = between(reply, "<Status>", "</Status>");
            const std::string serial = between(reply, "<SerialNo>", "</SerialNo>");
            if (status >= 400 && status < 500)
                outcome = REFUSED;
            else if (status != 200 && status != 202)
                outcome = FAILED;
            else
            {
                while (state != "completed" && state != "aborted" && Clock::now() < deadline)
                {
                    std::this_thread::sleep_for(std::chrono::milliseconds(o.pollMs));
                    ++polls;
                    status = send(session, "GET", "/api/v1/inquiries/result?serial=" + serial,
                                  nullptr, reply);
                    if (status >= 500)
                        break;
                    state = between(reply, "<Status>", "</Status>");
                }
                outcome = state == "completed"       ? COMPLETED
                          : state == "aborted"       ? ABORTED
                          : Clock::now() >= deadline ? TIMED_OUT
                                                     : FAILED;
            }
            if (outcome != COMPLETED && problem.empty())
                problem = "exchange " + std::to_string(i) + ": HTTP " + std::to_string(status) +
                          " " + reply.substr(0, 300);
        }
        catch (const Poco::Exception& e)
        {
            outcome = Clock::now() >= deadline ? TIMED_OUT : FAILED;
            if (problem.empty())
                problem = "exchange " + std::to_string(i) + ": " + e.displayText();
            session.reset(); // reconnect on the next request
        }
        ++outcomes[outcome];
        if (outcome == COMPLETED)
            latencies.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::lock_guard<std::mutex> lock(shared.mutex);
    shared.latenciesMs.insert(shared.latenciesMs.end(), latencies.begin(), latencies.end());
    for (int k = 0; k < 5; ++k)
        shared.outcomes[k] += outcomes[k];
    shared.polls += polls;
    if (shared.firstProblem.empty())
        shared.firstProblem = problem;
}

double percentile(const std::vector<double>& sorted, double p)
{
    if (sorted.empty())
        return 0;
    std::size_t k =
        static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(k, sorted.size() - 1)];
}

bool parse(const std::vector<std::string>& args, Options& o)
{
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& a = args[i];
        if (i + 1 >= args.size())
            return false;
        const std::string& v = args[++i];
        if (a == "--url")
            o.url = v;
        else if (a == "--ca")
            o.ca = v;
        else if (a == "--cert")
            o.cert = v;
        else if (a == "--key")
            o.key = v;
        else if (a == "--targets")
            o.targets = v;
        else if (a == "--provider")
            o.provider = v;
        else if (a == "--mode" && (v == "wait" || v == "poll"))
            o.mode = v;
        else if (a == "--clients")
            o.clients = std::max(1, std::atoi(v.c_str()));
        else if (a == "--exchanges")
            o.exchanges = std::strtoul(v.c_str(), nullptr, 10);
        else if (a == "--wait")
            o.waitSeconds = std::max(1, std::atoi(v.c_str()));
        else if (a == "--poll-ms")
            o.pollMs = std::max(1, std::atoi(v.c_str()));
        else if (a == "--timeout")
            o.timeoutSeconds = std::max(1, std::atoi(v.c_str()));
        else if (a == "--warmup")
            o.warmup = std::strtoul(v.c_str(), nullptr, 10);
        else if (a == "--ready-command")
            o.readyCommand = v;
        else if (a == "--pid" && v.find('=') != std::string::npos)
            o.pids.emplace_back(v.substr(0, v.find('=')),
                                std::atoi(v.substr(v.find('=') + 1).c_str()));
        else
            return false;
    }
    return !o.url.empty() && !o.ca.empty() && !o.cert.empty() && !o.key.empty() &&
           !o.targets.empty() && o.exchanges > 0;
}

} // namespace

const char* ExchangeBench::usage()
{
    return "exchange --url URL --ca CA --cert CERT --key KEY --targets FILE [--provider CODE16]\n"
           "         [--clients K] [--exchanges N] [--mode wait|poll] [--wait S] [--poll-ms M]\n"
           "         [--timeout S] [--pid NAME=PID]... [--warmup N] [--ready-command CMD]\n"
           "  --targets FILE    lines 'ATENA,ITEM[,PROCEDURE]': 千葉市 統合宛名番号, "
           "特定個人情報名コード "
           "and 事務手続きコード\n"
           "                    of items answered automatically\n"
           "  --clients K       concurrent keep-alive clients (default 8)\n"
           "  --exchanges N     exchanges in all (default 1000)\n"
           "  --mode wait       POST ?wait=S then poll when still pending (default); poll: always "
           "poll\n"
           "  --poll-ms M       pause between result polls (default 10)\n"
           "  --warmup N        N exchanges by the same clients before the measured ones (not\n"
           "                    counted, not timed)\n"
           "  --ready-command CMD  run by sh once every client is connected and through the\n"
           "                    warm-up, right before the first measured exchange (scripts/bench\n"
           "                    instructions: switch callgrind on); the run stops if it fails\n";
}

int ExchangeBench::run(const std::vector<std::string>& args)
{
    Options o;
    if (!parse(args, o))
    {
        std::fprintf(stderr, "chukan-bench: bad exchange arguments\nusage: %s", usage());
        return 2;
    }
    Shared shared;
    shared.options = &o;
    std::ifstream in(o.targets);
    std::string line;
    while (std::getline(in, line))
    {
        std::vector<std::string> cols;
        std::istringstream fields(line);
        for (std::string col; std::getline(fields, col, ',');)
            cols.push_back(col);
        if (cols.size() >= 2)
            shared.targets.push_back(
                {cols[0], cols[1], cols.size() > 2 ? cols[2] : "JT01010000000214"});
    }
    if (shared.targets.empty())
    {
        std::fprintf(stderr, "chukan-bench: no targets in %s\n", o.targets.c_str());
        return 2;
    }
    shared.runId = std::to_string(std::chrono::system_clock::now().time_since_epoch().count() %
                                  100000000000LL);

    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, o.key, o.cert, o.ca, Poco::Net::Context::VERIFY_STRICT);

    std::map<std::string, ProcSample> before;
    std::vector<std::thread> threads;
    for (int k = 0; k < o.clients; ++k)
        threads.emplace_back(client, std::ref(shared), context, k);
    while (shared.ready.load() < o.clients)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    shared.go = true; // the warm-up, when there is one
    while (o.warmup > 0 && shared.warmed.load() < o.clients)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!o.readyCommand.empty())
    {
        int status = std::system(o.readyCommand.c_str());
        if (status != 0)
        {
            std::fprintf(stderr, "chukan-bench: --ready-command failed (status %d): %s\n", status,
                         o.readyCommand.c_str());
            shared.next = o.exchanges; // the clients do nothing more
            shared.measure = true;
            for (std::thread& t : threads)
                t.join();
            Poco::Net::uninitializeSSL();
            return 1;
        }
    }
    for (const auto& p : o.pids)
        before[p.first] = ProcStats::read(p.second);
    const ProcSample selfBefore = ProcStats::read(0);
    const auto start = Clock::now();
    shared.measure = true;
    for (std::thread& t : threads)
        t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const ProcSample selfAfter = ProcStats::read(0);

    std::vector<double>& lat = shared.latenciesMs;
    std::sort(lat.begin(), lat.end());
    const std::size_t completed = shared.outcomes[COMPLETED];
    const double rate = seconds > 0 ? static_cast<double>(completed) / seconds : 0;
    std::printf("| clients | exchanges | completed | other | seconds | exchanges/s | p50 ms | "
                "p95 ms | p99 ms | max ms | mode |\n");
    std::printf("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
    std::string other;
    for (int k = 1; k < 5; ++k)
        if (shared.outcomes[k])
            other += (other.empty() ? "" : ", ") + std::to_string(shared.outcomes[k]) + " " +
                     OUTCOME_NAMES[k];
    std::printf("| %d | %zu | %zu | %s | %.2f | %.0f | %.1f | %.1f | %.1f | %.1f | %s%s |\n\n",
                o.clients, o.exchanges, completed, other.empty() ? "—" : other.c_str(), seconds,
                rate, percentile(lat, 50), percentile(lat, 95), percentile(lat, 99),
                lat.empty() ? 0.0 : lat.back(), o.mode.c_str(),
                o.mode == "wait" ? (" ?wait=" + std::to_string(o.waitSeconds)).c_str() : "");
    std::printf("| process | CPU s during the run | CPU ms / exchange | peak RSS MB (VmHWM) | "
                "threads |\n|---|---:|---:|---:|---:|\n");
    for (const auto& p : o.pids)
    {
        ProcSample after = ProcStats::read(p.second);
        const ProcSample& b = before[p.first];
        if (!after.ok || !b.ok)
        {
            std::printf("| %s (pid %d) | gone | — | — | — |\n", p.first.c_str(), p.second);
            continue;
        }
        double cpu = after.cpuSeconds - b.cpuSeconds;
        std::printf("| %s | %.2f | %.2f | %.0f | %d |\n", p.first.c_str(), cpu,
                    completed ? cpu * 1000 / static_cast<double>(completed) : 0.0, after.peakRssMb,
                    after.threads);
    }
    double selfCpu = selfAfter.cpuSeconds - selfBefore.cpuSeconds;
    std::printf("| chukan-bench (the %d clients) | %.2f | %.2f | %.0f | %d |\n\n", o.clients,
                selfCpu, completed ? selfCpu * 1000 / static_cast<double>(completed) : 0.0,
                selfAfter.peakRssMb, selfAfter.threads);
    std::printf("exchange clients=%d exchanges=%zu completed=%zu seconds=%.3f rate=%.1f p50=%.2f "
                "p95=%.2f p99=%.2f polls=%zu\n",
                o.clients, o.exchanges, completed, seconds, rate, percentile(lat, 50),
                percentile(lat, 95), percentile(lat, 99), shared.polls);
    if (!shared.firstProblem.empty())
        std::fprintf(stderr, "chukan-bench: first problem: %s\n", shared.firstProblem.c_str());
    Poco::Net::uninitializeSSL();
    return completed == o.exchanges ? 0 : 1;
}

} // namespace chukan
