// NetworkInboundStage: authenticate the network, parse the message, hand it to the service, answer in protocol XML.
#include "gateway/NetworkInboundStage.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Runnable.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

namespace chukan {

namespace {

/// Counts helpers out; wait() returns once every one started has finished.
class Latch
{
public:
    void add() { std::lock_guard<std::mutex> lock(_mutex); ++_count; }
    void done()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (--_count == 0)
            _zero.notify_all();
    }
    void wait()
    {
        std::unique_lock<std::mutex> lock(_mutex);
        _zero.wait(lock, [this] { return _count == 0; });
    }

private:
    std::mutex _mutex;
    std::condition_variable _zero;
    std::size_t _count = 0;
};

/// One pooled helper's share of a Batch: works until no item is left, then counts itself out.
class BatchHelper : public Poco::Runnable
{
public:
    BatchHelper(const std::function<void()>& work, Latch& latch) : _work(work), _latch(latch) {}
    void run() override
    {
        try
        {
            _work(); // catches what an item throws; only running out of memory gets here
        }
        catch (...)
        {
        }
        _latch.done();
    }

private:
    const std::function<void()>& _work;
    Latch& _latch;
};

} // namespace

NetworkInboundStage::NetworkInboundStage(GatewayServices& s, std::shared_ptr<ProvisionService> provisions,
                                         std::shared_ptr<InquiryService> inquiries)
    : _services(s), _provisions(std::move(provisions)), _inquiries(std::move(inquiries)),
      _refusedPeer(s.metrics.counter("chukan_network_inbound_refused_total", "",
                                     "Calls to /ipn-in refused because the caller is not the network"))
{
    Result<std::shared_ptr<const XmlSchema>> schema = s.schemas->get(IpnMessage::SCHEMA_NAME);
    if (schema)
        _parser.reset(new SecureXmlParser(schema.value()));
    _helpers = std::make_unique<Poco::ThreadPool>("batch", BATCH_THREADS - 1, BATCH_HELPERS, 60);
}

Stage::Outcome NetworkInboundStage::run(Exchange& ex)
{
    if (ex.clientOrganization != _services.settings.networkPeerOrganization)
    {
        _refusedPeer.inc();
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "NOT_THE_NETWORK",
                "only the network may call " + ex.path);
        return STOP;
    }
    if (!_parser)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "INTERNAL", "ipn schema unavailable");
        return STOP;
    }
    Result<IpnMessage> msg = IpnMessage::parse(ex.body, *_parser);
    IpnMessage reply;
    if (!msg)
    {
        IpnHeader unknown;
        unknown.messageId = "unknown-" + ex.requestId;
        unknown.from = IpnHeader::NETWORK;
        unknown.to = IpnHeader::NETWORK;
        reply = IpnMessage::error(unknown, IpnErrorCode::INVALID_MESSAGE, msg.status().message(),
                                  Poco::Timestamp(_services.clock->nowMicros()));
    }
    else if (ex.operation == "network.batch" && msg.value().kind == IpnMessage::Kind::Batch)
        reply = answerBatch(msg.value(), ex.path);
    else
        reply = answer(msg.value(), ex.operation, ex.path);
    Result<std::string> xml = reply.toXml();
    auto status = Poco::Net::HTTPResponse::HTTP_OK;
    if (reply.kind == IpnMessage::Kind::Error)
        status = reply.errorCode == IpnErrorCode::UNAVAILABLE ? Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE
                 : reply.errorCode == IpnErrorCode::INTERNAL  ? Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR
                                                              : Poco::Net::HTTPResponse::HTTP_BAD_REQUEST;
    ex.reply(status, "application/xml; charset=UTF-8", xml ? xml.value() : std::string());
    if (reply.kind == IpnMessage::Kind::Error)
        ex.errorCode = IpnErrorCodes::name(reply.errorCode);
    return STOP;
}

IpnMessage NetworkInboundStage::answer(const IpnMessage& m, const std::string& operation, const std::string& path)
{
    if (operation == "network.inquiry" && m.kind == IpnMessage::Kind::Inquiry)
        return _provisions->receive(m);
    if (operation == "network.response" && m.kind == IpnMessage::Kind::ProvisionResponse)
        return _inquiries->receive(m);
    return IpnMessage::error(m.header, IpnErrorCode::INVALID_MESSAGE,
                             std::string("unexpected ") + IpnMessage::kindName(m.kind) + " at " + path,
                             Poco::Timestamp(_services.clock->nowMicros()));
}

IpnMessage NetworkInboundStage::answerBatch(const IpnMessage& batch, const std::string& path)
{
    IpnMessage reply;
    reply.kind = IpnMessage::Kind::BatchReply;
    reply.header = IpnHeader::replyTo(batch.header, IpnHeader::newMessageId("ack"),
                                      Poco::Timestamp(_services.clock->nowMicros()));
    const std::size_t n = batch.items.size();
    reply.items.resize(n);
    // Each item as if it had come alone at its own path; items are different messages, so they
    // may be worked on at once, and their writes then share commits (SQLite group commit).
    std::atomic<std::size_t> next{0};
    std::function<void()> work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;)
        {
            const IpnMessage& item = batch.items[i];
            const char* operation =
                item.kind == IpnMessage::Kind::Inquiry ? "network.inquiry" : "network.response";
            try
            {
                reply.items[i] = answer(item, operation, path);
            }
            catch (const std::exception& e)
            {
                Poco::Logger::get("chukan.network").error("message %s of a batch: %s", item.header.messageId,
                                                          std::string(e.what()));
                reply.items[i] = IpnMessage::error(item.header, IpnErrorCode::INTERNAL, "internal error",
                                                   Poco::Timestamp(_services.clock->nowMicros()));
            }
        }
    };
    // Helpers from the pool (as many as are free, up to BATCH_THREADS - 1); this thread works
    // too, then waits for the helpers that started. A helper that finds no item left just ends.
    Latch latch;
    std::deque<BatchHelper> helpers;
    for (std::size_t t = 1; t < std::min<std::size_t>(BATCH_THREADS, n); ++t)
    {
        helpers.emplace_back(work, latch);
        latch.add();
        try
        {
            _helpers->start(helpers.back());
        }
        catch (const Poco::Exception&) // none free (NoThreadAvailableException), or none startable
        {
            latch.done();
            break;
        }
    }
    work();
    latch.wait();
    return reply;
}

} // namespace chukan
