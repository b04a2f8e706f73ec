// ReadinessProbe: the store through Migrator, the network through a bounded TCP connect, cached
// under a mutex.
#include "gateway/ReadinessProbe.h"

#include "adapters/Migrator.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <sstream>

namespace chukan
{

namespace
{
Poco::JSON::Object::Ptr checkJson(const ReadinessCheck& c)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("state", c.state);
    if (!c.detail.empty())
        o->set("detail", c.detail);
    return o;
}
} // namespace

std::string ReadinessReport::toJson(const std::string& nodeId) const
{
    Poco::JSON::Object body;
    body.set("status", ready ? "ok" : "unavailable");
    body.set("node", nodeId);
    body.set("store", backend);
    body.set("storeReachable", storeReachable);
    if (schemaVersion >= 0)
        body.set("schemaVersion", schemaVersion);
    Poco::JSON::Object::Ptr checks = new Poco::JSON::Object;
    checks->set(store.name, checkJson(store));
    checks->set(network.name, checkJson(network));
    body.set("checks", checks);
    std::ostringstream out;
    body.stringify(out);
    return out.str();
}

ReadinessProbe::ReadinessProbe(Database& db, std::shared_ptr<Clock> clock,
                               NetworkCheck networkCheck, std::chrono::seconds cache)
    : _db(db), _clock(std::move(clock)), _networkCheck(std::move(networkCheck)),
      _cacheMicros(static_cast<Poco::Int64>(cache.count()) * 1000000)
{
}

ReadinessReport ReadinessProbe::check()
{
    ReadinessReport r;
    r.backend = _db.backendName();
    r.store.name = "store";
    try
    {
        Migrator m(_db);
        r.schemaVersion = m.currentVersion();
        r.storeReachable = true;
        if (r.schemaVersion == m.knownVersion())
        {
            r.store.state = "ok";
            r.store.detail = "schema version " + std::to_string(r.schemaVersion);
        }
        else
        {
            r.store.state = "schema_mismatch";
            r.store.detail = "schema version " + std::to_string(r.schemaVersion) +
                             ", this binary knows " + std::to_string(m.knownVersion());
        }
    }
    catch (const Poco::Exception& e)
    {
        r.store.state = "unreachable";
        r.store.detail = e.displayText();
    }
    catch (const std::exception& e)
    {
        r.store.state = "unreachable";
        r.store.detail = e.what();
    }
    r.network = networkState();
    r.ready = r.store.passed() && r.network.passed();
    return r;
}

ReadinessCheck ReadinessProbe::networkState()
{
    if (!_networkCheck)
        return ReadinessCheck{"network", "not_configured", "chukan.network.url is not set"};
    std::lock_guard<std::mutex> lock(_mutex); // one check at a time; the others take its answer
    Poco::Int64 now = _clock->nowMicros();
    if (_checked && now >= _checkedAt && now - _checkedAt < _cacheMicros)
        return _network;
    Status st = _networkCheck();
    _network = ReadinessCheck{"network", st ? "ok" : "unreachable", st ? "" : st.message()};
    _checked = true;
    _checkedAt = _clock->nowMicros();
    return _network;
}

ReadinessProbe::NetworkCheck ReadinessProbe::tcpConnect(const std::string& url,
                                                        std::chrono::milliseconds timeout)
{
    return [url, timeout]() -> Status
    {
        std::string host;
        unsigned short port = 0;
        try
        {
            Poco::URI uri(url);
            host = uri.getHost();
            port = uri.getPort();
        }
        catch (const Poco::Exception& e)
        {
            return Status::invalid("chukan.network.url: " + e.displayText());
        }
        if (host.empty())
            return Status::invalid("chukan.network.url: no host in '" + url + "'");
        std::string where = host + ":" + std::to_string(port);
        try
        {
            Poco::Net::StreamSocket socket;
            socket.connect(Poco::Net::SocketAddress(host, port),
                           Poco::Timespan(static_cast<long>(timeout.count()) * 1000));
            socket.close();
            return Status::ok();
        }
        catch (const Poco::Exception& e)
        {
            return Status::unavailable(where + ": " + e.displayText());
        }
    };
}

} // namespace chukan
