// IpnSim: request dispatch, 符号 issue and translation, permit issue and checks, routing, idempotency and faults.
#include "tests/netsim/IpnSim.h"

#include "codecs/SignedEnvelope.h"
#include "codecs/SignedTime.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <sstream>
#include <thread>

namespace chukan
{

namespace
{

const char* RANDOM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string randomToken(std::size_t n)
{
    std::string bytes(n, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(&bytes[0]), static_cast<int>(n));
    std::string out;
    for (char b : bytes)
        out += RANDOM_ALPHABET[static_cast<unsigned char>(b) & 63];
    return out;
}

/// The SHA-256 digest of `bytes` (raw, 32 bytes).
std::string sha256(const std::string& bytes)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), md, &length, EVP_sha256(), nullptr) != 1)
        return std::string(); // an empty digest never matches (see inquiry())
    return std::string(reinterpret_cast<const char*>(md), length);
}

std::string jsonReply(const std::string& key, const std::string& value)
{
    Poco::JSON::Object o;
    o.set(key, value);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

bool startsWith(const std::string& s, const std::string& prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

Result<std::unique_ptr<IpnSim>> IpnSim::create(Config config)
{
    if (!config.fugo || !config.trust || !config.parser || !config.send)
        return Status::invalid("ipn-sim: fugo, trust, parser and send are required");
    if (!config.faults)
        config.faults = std::make_shared<SimFaults>();
    if (!config.log)
        config.log = std::make_shared<RoutingLog>("");
    if (!config.metrics)
        config.metrics = std::make_shared<Metrics>();
    if (!config.clock)
        config.clock = std::make_shared<SystemClock>();
    std::unique_ptr<IpnSim> sim(new IpnSim(std::move(config)));
    // Sign once now: proves the signing key and certificate belong together.
    Result<SignedEnvelope> list = SignedEnvelope::sign(sim->_config.permissionList.toJson(),
                                                       sim->_config.signingKeyPem,
                                                       sim->_config.signingCertPem);
    if (!list)
        return Status::invalid("ipn-sim: cannot sign with the signing key: " +
                               list.status().message());
    sim->_signedPermissionList = list->toJson();
    return sim;
}

IpnSim::IpnSim(Config config)
    : _config(std::move(config)), _directory(_config.institutions),
      _replies(_config.idempotencyCapacity)
{
    if (_config.permissionList.listId.empty())
        _config.permissionList.listId = "sim-permission-list";
    _config.permissionList.issuedAt = now();
    SimDeliverer::Report report = [this](const SimDeliverer::Item& item,
                                         const std::string& outcome, const std::string&,
                                         long long millis) {
        record(item.message.header.messageId, std::string("deliver:") +
                   IpnMessage::kindName(item.message.kind),
               item.message.header.from, item.message.header.to, item.permitId, outcome,
               item.message.payload.size(), millis);
        _config.metrics->counter("ipn_sim_deliveries_total", "outcome=\"" + outcome + "\"",
                                 "forwards to institutions by outcome")
            .inc();
        delivered(item, outcome);
    };
    _deliverer = std::make_unique<SimDeliverer>(_config.send, _config.faults, report,
                                                _config.deliveryThreads,
                                                _config.deliveryPerDestination);
    if (_config.sendBatch && _config.deliveryBatch > 1)
    {
        // Counted when the receiver answered the Batch as one (not refused it as unknown).
        Counter& batches = _config.metrics->counter("ipn_sim_delivery_batches_total", "",
                                                    "forwards sent several to a Batch and answered as one");
        Counter& items = _config.metrics->counter("ipn_sim_delivery_batch_items_total", "",
                                                  "forwards that went in those Batches");
        SimDeliverer::SendBatch send = _config.sendBatch;
        _deliverer->batchWith(
            [send, &batches, &items](const std::vector<SimDeliverer::Item>& batch) {
                std::vector<Result<IpnMessage>> replies = send(batch);
                if (!replies.empty() && (replies.front() || replies.front().status().code() != Status::CORRUPTION))
                {
                    batches.inc();
                    items.inc(batch.size());
                }
                return replies;
            },
            _config.deliveryBatch);
    }
}

SimDeliverer::SendBatch IpnSim::batchSender(std::shared_ptr<IpnClient> client)
{
    return [client](const std::vector<SimDeliverer::Item>& items) {
        Result<IpnMessage> reply = client->post(SimDeliverer::destinationOf(items.front().url) + "/ipn-in/v1/batch",
                                                batchOf(items, Poco::Timestamp()));
        if (reply && reply->kind == IpnMessage::Kind::BatchReply && reply->items.size() == items.size())
            return std::vector<Result<IpnMessage>>(reply->items.begin(), reply->items.end());
        if (reply && reply->kind == IpnMessage::Kind::Error) // the Batch refused whole
            return std::vector<Result<IpnMessage>>(items.size(), reply.value());
        Status whole = !reply ? reply.status()
                              : Status::corruption(std::string("a Batch of ") + std::to_string(items.size()) +
                                                   " answered with a " + IpnMessage::kindName(reply->kind) + " of " +
                                                   std::to_string(reply->items.size()) + " items");
        return std::vector<Result<IpnMessage>>(items.size(), whole);
    };
}

IpnMessage IpnSim::batchOf(const std::vector<SimDeliverer::Item>& items, const Poco::Timestamp& now)
{
    IpnMessage b;
    b.kind = IpnMessage::Kind::Batch;
    b.header.messageId = IpnHeader::newMessageId("ipnb");
    b.header.sentAt = now;
    b.header.from = IpnHeader::NETWORK;
    b.header.to = items.empty() ? std::string(IpnHeader::NETWORK) : items.front().message.header.to;
    for (const SimDeliverer::Item& item : items)
    {
        if (item.message.header.to != b.header.to)
            b.header.to = IpnHeader::NETWORK;
        b.items.push_back(item.message);
    }
    return b;
}

IpnSim::~IpnSim()
{
    _deliverer.reset(); // join workers before the rest goes
}

Poco::Timestamp IpnSim::now() const
{
    Poco::Int64 us = _config.clock->nowMicros();
    return Poco::Timestamp(us - us % 1000000);
}

bool IpnSim::isAdmin(const Caller& c) const
{
    return !c.commonName.empty() && c.commonName == _config.adminCommonName &&
           c.organization == _config.adminOrganization;
}

void IpnSim::record(const std::string& messageId, const std::string& kind,
                    const std::string& from, const std::string& to, const std::string& permitId,
                    const std::string& outcome, std::size_t bytes, long long millis)
{
    RoutingLog::Entry e;
    e.timeMicros = _config.clock->nowMicros();
    e.messageId = messageId;
    e.kind = kind;
    e.from = from;
    e.to = to;
    e.permitId = permitId;
    e.outcome = outcome;
    e.bytes = bytes;
    e.millis = millis;
    _config.log->write(e);
}

IpnSim::Reply IpnSim::toReply(const IpnMessage& m)
{
    Reply r;
    Result<std::string> xml = m.toXml();
    if (!xml)
    {
        r.status = 500;
        r.contentType = "text/plain";
        r.body = "cannot write reply: " + xml.status().message();
        return r;
    }
    r.status = m.kind == IpnMessage::Kind::Error ? IpnErrorCodes::httpStatus(m.errorCode) : 200;
    r.body = std::move(xml).value();
    return r;
}

IpnMessage IpnSim::replyMessage(const IpnMessage& request, IpnMessage::Kind kind) const
{
    IpnMessage m;
    m.kind = kind;
    m.header.messageId = IpnHeader::newMessageId("ipn");
    m.header.sentAt = now();
    m.header.from = IpnHeader::NETWORK;
    m.header.to = request.header.from;
    m.header.inReplyTo = request.header.messageId;
    return m;
}

IpnMessage IpnSim::error(const IpnMessage& request, IpnErrorCode code, std::string message) const
{
    IpnMessage m = replyMessage(request, IpnMessage::Kind::Error);
    m.errorCode = code;
    m.errorMessage = std::move(message);
    return m;
}

IpnSim::Reply IpnSim::errorReply(const IpnHeader* request, const std::string& to,
                                 IpnErrorCode code, const std::string& message)
{
    IpnMessage m;
    m.kind = IpnMessage::Kind::Error;
    m.header.messageId = IpnHeader::newMessageId("ipn");
    m.header.sentAt = now();
    m.header.from = IpnHeader::NETWORK;
    m.header.to = to;
    if (request)
        m.header.inReplyTo = request->messageId;
    m.errorCode = code;
    m.errorMessage = message;
    return toReply(m);
}

IpnSim::Reply IpnSim::handle(const Request& r)
{
    if (r.path == "/metrics" && r.method == "GET")
    {
        if (!isAdmin(r.caller) && !_directory.byCertificate(r.caller.organization, r.caller.commonName))
            return Reply{403, "text/plain", "unknown client certificate\n"};
        return Reply{200, "text/plain; version=0.0.4", _config.metrics->render()};
    }
    if (startsWith(r.path, "/sim/v1/"))
        return handleAdmin(r);
    if (startsWith(r.path, "/ipn/v1/"))
        return handleNetwork(r);
    return Reply{404, "text/plain", "no such endpoint: " + r.path + "\n"};
}

IpnSim::Reply IpnSim::handleAdmin(const Request& r)
{
    if (!isAdmin(r.caller))
        return Reply{403, "application/json",
                     jsonReply("error", "the admin endpoints need the simulator's admin "
                                        "certificate (O=" +
                                            _config.adminOrganization +
                                            ", CN=" + _config.adminCommonName + ")")};
    Poco::Int64 nowUs = _config.clock->nowMicros();
    if (r.path == "/sim/v1/faults" && r.method == "GET")
        return Reply{200, "application/json", _config.faults->toJson(nowUs)};
    if (r.path == "/sim/v1/faults" && r.method == "POST")
    {
        Status s = _config.faults->apply(r.body, nowUs);
        if (!s)
            return Reply{400, "application/json", jsonReply("error", s.message())};
        if (!_config.faults->state().reorder)
            _deliverer->flushHeld();
        record("-", "admin:faults", "ADMIN", IpnHeader::NETWORK, "", "applied", r.body.size());
        return Reply{200, "application/json", _config.faults->toJson(nowUs)};
    }
    if (r.path == "/sim/v1/log" && r.method == "GET")
        return Reply{200, "application/json", _config.log->snapshotJson()};
    if (r.path == "/sim/v1/institutions" && r.method == "POST")
    {
        SimInstitution change;
        try
        {
            Poco::JSON::Object::Ptr o =
                Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
            for (const std::string& name : o->getNames())
                if (name != "code" && name != "endpoint" && name != "tenant" && name != "name" &&
                    name != "encryptionCertificate")
                    return Reply{400, "application/json",
                                 jsonReply("error", "institutions: unknown member '" + name + "'")};
            change.code = o->optValue<std::string>("code", "");
            change.endpoint = o->optValue<std::string>("endpoint", "");
            change.tenant = o->optValue<std::string>("tenant", "");
            change.name = o->optValue<std::string>("name", "");
            change.encryptionCertificate = o->optValue<std::string>("encryptionCertificate", "");
        }
        catch (const std::exception&)
        {
            return Reply{400, "application/json",
                         jsonReply("error", "institutions: body is not a JSON object of strings")};
        }
        Status s = _directory.upsert(change);
        if (!s)
            return Reply{s.code() == Status::NOT_FOUND ? 404 : 400, "application/json",
                         jsonReply("error", s.message())};
        record("-", "admin:institution", "ADMIN", change.code, "", "registered", r.body.size());
        Poco::JSON::Object o;
        o.set("code", change.code);
        o.set("directoryVersion", static_cast<Poco::UInt64>(_directory.version()));
        std::ostringstream out;
        o.stringify(out);
        return Reply{200, "application/json", out.str()};
    }
    return Reply{404, "application/json", jsonReply("error", "no such admin endpoint: " + r.path)};
}

Result<std::string> IpnSim::signedDirectory()
{
    std::lock_guard<std::mutex> lock(_mutex);
    std::uint64_t v = _directory.version();
    if (v != _directoryVersion || _signedDirectory.empty())
    {
        Result<SignedEnvelope> e = SignedEnvelope::sign(_directory.toDirectory(now()).toJson(),
                                                        _config.signingKeyPem,
                                                        _config.signingCertPem);
        if (!e)
            return e.status();
        _signedDirectory = e->toJson();
        _directoryVersion = v;
    }
    return _signedDirectory;
}

IpnSim::Reply IpnSim::handleNetwork(const Request& r)
{
    if (int d = _config.faults->delayMs())
        std::this_thread::sleep_for(std::chrono::milliseconds(d));
    std::optional<SimInstitution> caller =
        _directory.byCertificate(r.caller.organization, r.caller.commonName);
    std::string callerCode = caller ? caller->code : std::string(IpnHeader::NETWORK);
    auto count = [&](const std::string& kind, const std::string& outcome) {
        _config.metrics
            ->counter("ipn_sim_requests_total", "kind=\"" + kind + "\",outcome=\"" + outcome + "\"",
                      "requests to the network by message kind and outcome")
            .inc();
    };
    if (_config.faults->isDown(_config.clock->nowMicros()))
    {
        record("-", r.path, callerCode, IpnHeader::NETWORK, "", "UNAVAILABLE", r.body.size());
        count(r.path, "UNAVAILABLE");
        return errorReply(nullptr, callerCode, IpnErrorCode::UNAVAILABLE,
                          "the network is down for maintenance (fault downForMs); retry later");
    }
    if (!caller)
    {
        record("-", r.path, "?", IpnHeader::NETWORK, "", "UNKNOWN_INSTITUTION", r.body.size());
        count(r.path, "UNKNOWN_INSTITUTION");
        return errorReply(nullptr, IpnHeader::NETWORK, IpnErrorCode::UNKNOWN_INSTITUTION,
                          "client certificate O=" + r.caller.organization +
                              ", CN=" + r.caller.commonName +
                              " is not an institution in the directory");
    }
    if (r.method == "GET")
    {
        if (r.path == "/ipn/v1/directory" || r.path == "/ipn/v1/permission-list")
        {
            Result<std::string> body = r.path == "/ipn/v1/directory"
                                           ? signedDirectory()
                                           : Result<std::string>(_signedPermissionList);
            if (!body)
                return errorReply(nullptr, callerCode, IpnErrorCode::INTERNAL,
                                  body.status().message());
            record("-", r.path, callerCode, IpnHeader::NETWORK, "", "ok", body->size());
            count(r.path, "ok");
            return Reply{200, "application/json", body.value()};
        }
        return Reply{404, "text/plain", "no such endpoint: GET " + r.path + "\n"};
    }
    static const std::map<std::string, IpnMessage::Kind> KIND_OF_PATH = {
        {"/ipn/v1/fugo", IpnMessage::Kind::FugoRequest},
        {"/ipn/v1/permits", IpnMessage::Kind::PermitRequest},
        {"/ipn/v1/inquiries", IpnMessage::Kind::Inquiry},
        {"/ipn/v1/responses", IpnMessage::Kind::ProvisionResponse},
        {"/ipn/v1/batch", IpnMessage::Kind::Batch}};
    auto expected = KIND_OF_PATH.find(r.path);
    if (r.method != "POST" || expected == KIND_OF_PATH.end() ||
        (expected->second == IpnMessage::Kind::Batch && _config.faults->noBatch()))
        return Reply{404, "text/plain", "no such endpoint: " + r.method + " " + r.path + "\n"};

    Result<IpnMessage> parsed = IpnMessage::parse(r.body, *_config.parser);
    if (!parsed)
    {
        record("-", r.path, callerCode, IpnHeader::NETWORK, "", "INVALID_MESSAGE", r.body.size());
        count(r.path, "INVALID_MESSAGE");
        return errorReply(nullptr, callerCode, IpnErrorCode::INVALID_MESSAGE,
                          parsed.status().message());
    }
    const IpnMessage& m = parsed.value();
    if (m.kind != IpnMessage::Kind::Batch || expected->second != IpnMessage::Kind::Batch ||
        m.header.from != callerCode) // a single message, or refused there
        return toReply(handleMessage(m, expected->second, *caller, r.body.size()));
    // A Batch: every item is acted on as if it had been posted alone to its own path (its own
    // Header, idempotency, routing log line and counter), in order; item n of the BatchReply
    // answers item n. The items share the batch's bytes in the routing log.
    IpnMessage reply = replyMessage(m, IpnMessage::Kind::BatchReply);
    reply.items.reserve(m.items.size());
    const std::size_t share = r.body.size() / m.items.size();
    for (const IpnMessage& item : m.items)
        reply.items.push_back(handleMessage(item, item.kind, *caller, share));
    record(m.header.messageId, "Batch", callerCode, IpnHeader::NETWORK, "",
           "ok " + std::to_string(m.items.size()) + " " + IpnMessage::kindName(m.items.front().kind), r.body.size());
    count("Batch", "ok");
    return toReply(reply);
}

IpnMessage IpnSim::handleMessage(const IpnMessage& m, IpnMessage::Kind expected, const SimInstitution& caller,
                                 std::size_t bytes)
{
    const std::string& callerCode = caller.code;
    auto count = [&](const std::string& kind, const std::string& outcome) {
        _config.metrics
            ->counter("ipn_sim_requests_total", "kind=\"" + kind + "\",outcome=\"" + outcome + "\"",
                      "requests to the network by message kind and outcome")
            .inc();
    };
    std::string kind = IpnMessage::kindName(m.kind);
    if (m.kind != expected || m.header.from != callerCode)
    {
        std::string why = m.kind != expected
                              ? kind + " cannot be posted to " + pathOf(expected)
                              : "Header/From " + m.header.from +
                                    " is not the certificate's institution " + callerCode;
        record(m.header.messageId, kind, callerCode, m.header.to, m.permitId, "INVALID_MESSAGE", bytes);
        count(kind, "INVALID_MESSAGE");
        return error(m, IpnErrorCode::INVALID_MESSAGE, why);
    }

    std::string key = callerCode + "/" + m.header.messageId;
    if (std::optional<ReplyCache::Stored> seen = _replies.begin(key))
    {
        IpnMessage again = seen->reply;
        if (again.kind == IpnMessage::Kind::Ack)
            again.duplicate = true;
        record(m.header.messageId, kind, callerCode, m.header.to, m.permitId, "duplicate", bytes);
        count(kind, "duplicate");
        if (m.kind == IpnMessage::Kind::Inquiry || m.kind == IpnMessage::Kind::ProvisionResponse)
            forwardLostAgain(m);
        return again;
    }
    IpnMessage reply;
    try
    {
        reply = dispatch(m, caller);
    }
    catch (const std::exception& e)
    {
        reply = error(m, IpnErrorCode::INTERNAL, std::string("internal error: ") + e.what());
    }
    std::string outcome =
        reply.kind == IpnMessage::Kind::Error ? IpnErrorCodes::name(reply.errorCode) : "ok";
    if (reply.isError(IpnErrorCode::UNAVAILABLE))
        _replies.abandon(key);
    else
        _replies.finish(key, ReplyCache::Stored{200, reply});
    record(m.header.messageId, kind, callerCode, m.header.to, m.permitId.empty() ? reply.permitId : m.permitId,
           outcome, bytes);
    count(kind, outcome);
    return reply;
}

std::string IpnSim::pathOf(IpnMessage::Kind kind)
{
    switch (kind)
    {
    case IpnMessage::Kind::FugoRequest: return "/ipn/v1/fugo";
    case IpnMessage::Kind::PermitRequest: return "/ipn/v1/permits";
    case IpnMessage::Kind::Inquiry: return "/ipn/v1/inquiries";
    case IpnMessage::Kind::ProvisionResponse: return "/ipn/v1/responses";
    case IpnMessage::Kind::Batch: return "/ipn/v1/batch";
    default: return std::string("(no path for ") + IpnMessage::kindName(kind) + ")";
    }
}

IpnMessage IpnSim::dispatch(const IpnMessage& m, const SimInstitution& caller)
{
    switch (m.kind)
    {
    case IpnMessage::Kind::FugoRequest: return fugo(m, caller);
    case IpnMessage::Kind::PermitRequest: return permit(m, caller);
    case IpnMessage::Kind::Inquiry: return inquiry(m, caller);
    case IpnMessage::Kind::ProvisionResponse: return response(m, caller);
    default: return error(m, IpnErrorCode::INVALID_MESSAGE, "not a request");
    }
}

IpnMessage IpnSim::fugo(const IpnMessage& m, const SimInstitution& caller)
{
    if (m.header.to != IpnHeader::NETWORK)
        return error(m, IpnErrorCode::INVALID_MESSAGE, "a FugoRequest is addressed To IPN");
    std::string idc = _config.fugo->idc(m.juminhyoCode);
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _issuedIdcs.insert(idc);
    }
    IpnMessage reply = replyMessage(m, IpnMessage::Kind::FugoResponse);
    reply.fugo = _config.fugo->fugoOfIdc(idc, caller.code);
    _config.metrics->counter("ipn_sim_fugo_issued_total", "", "符号 issued").inc();
    return reply;
}

IpnMessage IpnSim::permit(const IpnMessage& m, const SimInstitution& caller)
{
    if (m.header.to != IpnHeader::NETWORK)
        return error(m, IpnErrorCode::INVALID_MESSAGE, "a PermitRequest is addressed To IPN");
    std::optional<SimInstitution> provider = _directory.find(m.provider);
    if (!provider)
        return error(m, IpnErrorCode::UNKNOWN_INSTITUTION,
                     "provider " + m.provider + " is not in the directory");
    Poco::Timestamp at = now();
    const PermitList& list = _config.permissionList;
    if (!list.find(caller.code, m.provider, m.jimuCode, m.procedureCode, m.dataItemCode, at))
    {
        std::string reason = "no entry in the permission list for requester " + caller.code +
                             ", provider " + m.provider + ", 事務 " + m.jimuCode + ", 手続 " +
                             m.procedureCode;
        for (const PermitList::Entry& e : list.entries)
            if (e.requesterInstitution == caller.code && e.providerInstitution == m.provider &&
                e.jimuCode == m.jimuCode && e.procedureCode == m.procedureCode &&
                e.dataItemCode == m.dataItemCode)
                reason = "the permission list entry is valid from " +
                         SignedTime::format(e.validFrom) + " to " + SignedTime::format(e.validTo);
        return error(m, IpnErrorCode::NOT_PERMITTED,
                     "指定された特定個人情報名「" + m.dataItemCode +
                         "」の照会は許可されていません。 (" + reason + ")");
    }
    Result<std::string> idc = _config.fugo->idcOf(m.requesterFugo, caller.code);
    bool issued = false;
    if (idc)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        issued = _issuedIdcs.count(idc.value()) > 0;
    }
    if (!issued)
        return error(m, IpnErrorCode::NO_FUGO,
                     "指定された符号は未取得です。 (RequesterFugo was not issued by the network "
                     "to " +
                         caller.code + ")");

    PermitState state;
    Permit& p = state.permit;
    p.permitId = "PMT-" + randomToken(24);
    p.requesterInstitution = caller.code;
    p.providerInstitution = m.provider;
    p.jimuCode = m.jimuCode;
    p.procedureCode = m.procedureCode;
    p.dataItemCode = m.dataItemCode;
    p.issuedAt = at;
    p.notBefore = at;
    p.expiry = at + Poco::Timespan(_config.permitValiditySeconds, 0);
    if (_config.faults->takeExpirePermit())
    {
        // Its validity ended a second before it was issued.
        state.expiredByFault = true;
        p.expiry = at - Poco::Timespan(1, 0);
        p.notBefore = p.expiry - Poco::Timespan(_config.permitValiditySeconds, 0);
        p.issuedAt = p.notBefore;
    }
    p.nonce = randomToken(32);
    state.payload = p.toJson();
    state.providerFugo = _config.fugo->fugoOfIdc(idc.value(), m.provider);
    state.route = std::string(IpnHeader::NETWORK) + "/" + caller.code + ">" + m.provider + "/" +
                  p.permitId;
    Result<SignedEnvelope> signedPermit =
        SignedEnvelope::sign(state.payload, _config.signingKeyPem, _config.signingCertPem);
    if (!signedPermit)
        return error(m, IpnErrorCode::INTERNAL, "cannot sign the permit");
    SignedEnvelope envelope = signedPermit.value();
    std::string issuedJson = envelope.toJson();
    state.issuedDigest = sha256(issuedJson);
    if (_config.faults->takeCorruptSignature())
    {
        std::string sig = envelope.signature();
        sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x01);
        issuedJson = SignedEnvelope(envelope.payload(), sig, envelope.signerPem()).toJson();
    }
    IpnMessage reply = replyMessage(m, IpnMessage::Kind::PermitResponse);
    reply.permitId = p.permitId;
    reply.signedPermit = std::move(issuedJson);
    {
        std::lock_guard<std::mutex> lock(_mutex);
        // Forget permits that expired an hour ago once the map grows.
        if (_permits.size() >= _config.idempotencyCapacity)
            for (auto it = _permits.begin(); it != _permits.end();)
                it = it->second.permit.expiry + Poco::Timespan(3600, 0) < at ? _permits.erase(it)
                                                                              : std::next(it);
        _permits.emplace(p.permitId, std::move(state));
    }
    _config.metrics->counter("ipn_sim_permits_issued_total", "", "provision permits issued").inc();
    return reply;
}

IpnMessage IpnSim::inquiry(const IpnMessage& m, const SimInstitution& caller)
{
    Result<SignedEnvelope> envelope = SignedEnvelope::parse(m.signedPermit);
    if (!envelope)
        return error(m, IpnErrorCode::BAD_PERMIT, "SignedPermit: " + envelope.status().message());
    Poco::Timestamp at = now();
    // A permit the network issued and still remembers, byte for byte as it signed it, is its
    // own: the signature check (two ECDSA verifications, a quarter of the network's work per
    // inquiry) would only repeat what it did. Anything else — changed, corrupted, forgotten —
    // is verified as before.
    bool issuedAsIs = false;
    {
        const std::string digest = sha256(m.signedPermit);
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _permits.find(m.permitId);
        issuedAsIs = !digest.empty() && it != _permits.end() && it->second.issuedDigest == digest;
    }
    if (!issuedAsIs)
    {
        Status verified = envelope->verify(*_config.trust, at);
        if (!verified)
            return error(m, IpnErrorCode::BAD_PERMIT, "SignedPermit: " + verified.toString());
    }
    Result<Permit> p = Permit::parse(envelope->payload());
    if (!p)
        return error(m, IpnErrorCode::BAD_PERMIT, "SignedPermit: " + p.status().message());
    const Permit& permit = p.value();
    if (permit.permitId != m.permitId)
        return error(m, IpnErrorCode::BAD_PERMIT,
                     "PermitId " + m.permitId + " is not the permit's id " + permit.permitId);
    if (permit.requesterInstitution != caller.code)
        return error(m, IpnErrorCode::BAD_PERMIT,
                     "the permit was issued to " + permit.requesterInstitution + ", not " +
                         caller.code);
    if (m.header.to != IpnHeader::NETWORK && m.header.to != permit.providerInstitution)
        return error(m, IpnErrorCode::PERMIT_MISADDRESSED,
                     "Header/To " + m.header.to + " is not the permit's provider " +
                         permit.providerInstitution);
    bool expiredByFault = false;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _permits.find(permit.permitId);
        expiredByFault = it != _permits.end() && it->second.expiredByFault;
    }
    if (!expiredByFault && at < permit.notBefore)
        return error(m, IpnErrorCode::PERMIT_NOT_YET_VALID,
                     "the permit is not yet valid (from " + SignedTime::format(permit.notBefore) +
                         ")");
    if (!expiredByFault && !(at < permit.expiry))
        return error(m, IpnErrorCode::PERMIT_EXPIRED,
                     "the permit expired at " + SignedTime::format(permit.expiry));
    std::optional<SimInstitution> provider = _directory.find(permit.providerInstitution);
    if (!provider)
        return error(m, IpnErrorCode::UNKNOWN_INSTITUTION,
                     "provider " + permit.providerInstitution + " is not in the directory");
    if (provider->endpoint.empty())
        return error(m, IpnErrorCode::UNAVAILABLE,
                     "provider " + provider->code + " has not registered its inbound endpoint");
    SimDeliverer::Item item;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _permits.find(permit.permitId);
        if (it == _permits.end() || it->second.payload != envelope->payload())
            return error(m, IpnErrorCode::BAD_PERMIT,
                         "permit " + permit.permitId + " was not issued by this network");
        if (it->second.inquiryRouted)
            return error(m, IpnErrorCode::PERMIT_REPLAYED,
                         "permit " + permit.permitId + " was already used for an inquiry");
        it->second.inquiryRouted = true;
        item.message = m;
        item.message.header.to = permit.providerInstitution;
        item.message.providerFugo = it->second.providerFugo;
        item.message.route = it->second.route;
        item.url = provider->endpoint + "/ipn-in/v1/inquiries";
        item.permitId = permit.permitId;
        it->second.inquiryForward = item;
        it->second.inquiryDelivery = "pending";
    }
    if (_config.faults->takeReplay())
    {
        // The same inquiry and permit again under a new MessageId, right after the original.
        SimDeliverer::Item replay = item;
        replay.message.header.messageId = m.header.messageId.substr(0, 61) + ".rp";
        _deliverer->enqueuePair(std::move(item), std::move(replay));
    }
    else
        _deliverer->enqueue(std::move(item));
    return replyMessage(m, IpnMessage::Kind::Ack);
}

IpnMessage IpnSim::response(const IpnMessage& m, const SimInstitution& caller)
{
    SimDeliverer::Item item;
    std::string requester;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _permits.find(m.permitId);
        if (it == _permits.end())
            return error(m, IpnErrorCode::BAD_PERMIT,
                         "permit " + m.permitId + " was not issued by this network");
        PermitState& s = it->second;
        if (s.permit.providerInstitution != caller.code)
            return error(m, IpnErrorCode::PERMIT_MISADDRESSED,
                         "permit " + m.permitId + " names provider " +
                             s.permit.providerInstitution + ", not " + caller.code);
        if (!s.inquiryRouted)
            return error(m, IpnErrorCode::BAD_PERMIT,
                         "no inquiry was routed under permit " + m.permitId);
        if (!m.route.empty() && m.route != s.route)
            return error(m, IpnErrorCode::BAD_PERMIT, "Route is not the route of the inquiry");
        requester = s.permit.requesterInstitution;
        if (m.header.to != IpnHeader::NETWORK && m.header.to != requester)
            return error(m, IpnErrorCode::PERMIT_MISADDRESSED,
                         "Header/To " + m.header.to + " is not the permit's requester");
        if (s.responseRouted)
            return error(m, IpnErrorCode::PERMIT_REPLAYED,
                         "a response was already routed under permit " + m.permitId);
        std::optional<SimInstitution> target = _directory.find(requester);
        if (!target || target->endpoint.empty())
            return error(m, IpnErrorCode::UNAVAILABLE,
                         "requester " + requester + " has not registered its inbound endpoint");
        s.responseRouted = true;
        item.message = m;
        item.message.header.to = requester;
        item.message.route = s.route;
        item.url = target->endpoint + "/ipn-in/v1/responses";
        item.permitId = m.permitId;
        s.responseForward = item;
        s.responseDelivery = "pending";
    }
    _deliverer->enqueue(std::move(item));
    return replyMessage(m, IpnMessage::Kind::Ack);
}

void IpnSim::delivered(const SimDeliverer::Item& item, const std::string& outcome)
{
    std::string state = outcome == "delivered" || outcome == "delivered-duplicate" ? "delivered"
                        : outcome == "dropped" || outcome == "undeliverable"     ? "lost"
                        : outcome == "refused"                                    ? "refused"
                                                                                  : "";
    if (state.empty())
        return; // held: still on its way
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _permits.find(item.permitId);
    if (it == _permits.end())
        return;
    PermitState& s = it->second;
    const std::string& id = item.message.header.messageId;
    if (item.message.kind == IpnMessage::Kind::Inquiry && s.inquiryForward &&
        s.inquiryForward->message.header.messageId == id)
        s.inquiryDelivery = state;
    else if (item.message.kind == IpnMessage::Kind::ProvisionResponse && s.responseForward &&
             s.responseForward->message.header.messageId == id)
        s.responseDelivery = state;
}

void IpnSim::forwardLostAgain(const IpnMessage& m)
{
    std::optional<SimDeliverer::Item> again;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _permits.find(m.permitId);
        if (it == _permits.end())
            return;
        PermitState& s = it->second;
        bool isInquiry = m.kind == IpnMessage::Kind::Inquiry;
        std::optional<SimDeliverer::Item>& mine = isInquiry ? s.inquiryForward : s.responseForward;
        std::string& mineState = isInquiry ? s.inquiryDelivery : s.responseDelivery;
        if (!mine || mine->message.header.messageId != m.header.messageId)
            return;
        if (mineState == "lost")
        {
            again = mine;
            mineState = "pending";
        }
        else if (isInquiry && mineState == "delivered" && s.responseForward && s.responseDelivery == "lost")
        {
            again = s.responseForward;
            s.responseDelivery = "pending";
        }
    }
    if (!again)
        return;
    record(again->message.header.messageId,
           std::string("deliver:") + IpnMessage::kindName(again->message.kind),
           again->message.header.from, again->message.header.to, again->permitId, "resent",
           again->message.payload.size());
    _deliverer->enqueue(std::move(*again));
}

} // namespace chukan
