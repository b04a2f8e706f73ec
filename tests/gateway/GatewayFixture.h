// GatewayFixture: a GatewayServices over a fresh store, a ManualClock and a fake network, for stage
// tests.
#pragma once

#include <functional>

#include "adapters/InquiryStore.h"
#include "adapters/Migrator.h"
#include "adapters/SystemStore.h"
#include "gateway/Exchange.h"
#include "gateway/GatewayServices.h"
#include "tests/support/TestStore.h"

#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <vector>

namespace chukan
{
namespace test
{

/// A network that issues 符号 from a table (or refuses), and counts calls. Its calls may come from
/// several threads (the worker's pool); read the recorded vectors once the senders are done.
class FakeNetwork : public NetworkPort
{
public:
    Result<std::string> obtainFugo(const TenantProfile& tenant,
                                   const std::string& juminhyoCode) override
    {
        std::lock_guard<std::recursive_mutex> lock(mutex);
        ++calls;
        if (down)
            return Status::unavailable("UNAVAILABLE: network down");
        auto it = refused.find(juminhyoCode);
        if (it != refused.end())
            return Status::invalid(it->second);
        return "FUGO-" + tenant.institutionCode.substr(0, 6) + "-" + juminhyoCode + "-XXXXXXXX";
    }
    Result<PermitGrant> requestPermit(const TenantProfile&, const PermitAsk& ask) override
    {
        std::lock_guard<std::recursive_mutex> lock(mutex);
        ++calls;
        if (down)
            return Status::unavailable("UNAVAILABLE: network down");
        if (!permitRefusal.empty())
            return Status::denied(permitRefusal);
        auto refusedAsk = permitRefusedFor.find(ask.messageId);
        if (refusedAsk != permitRefusedFor.end())
            return Status::denied(refusedAsk->second);
        asks.push_back(ask);
        return PermitGrant{"P-" + ask.messageId, "{\"signed\":\"" + ask.messageId + "\"}"};
    }
    Status sendInquiry(const TenantProfile&, const std::string& messageId,
                       const std::string& serial, const PermitGrant&) override
    {
        std::lock_guard<std::recursive_mutex> lock(mutex);
        ++calls;
        if (down || inquiryUnavailableFor.count(serial))
            return Status::unavailable("UNAVAILABLE: network down");
        sentInquiries.push_back(messageId + "/" + serial);
        if (onInquirySent) // e.g. the answer arriving before the sender marks the inquiry sent
            onInquirySent(serial);
        return Status::ok();
    }
    Status sendResponse(const TenantProfile&, const std::string& xml) override
    {
        std::lock_guard<std::recursive_mutex> lock(mutex);
        ++calls;
        if (down)
            return Status::unavailable("UNAVAILABLE: network down");
        sentResponses.push_back(xml);
        return Status::ok();
    }
    std::function<void(const std::string& serial)> onInquirySent;
    // The batched calls record how many items each carried, then make the single calls.
    std::vector<Result<PermitGrant>> requestPermits(const TenantProfile& tenant,
                                                    const std::vector<PermitAsk>& batch) override
    {
        std::lock_guard<std::recursive_mutex> lock(mutex);
        permitBatches.push_back(batch.size());
        return NetworkPort::requestPermits(tenant, batch);
    }
    std::vector<Status> sendInquiries(const TenantProfile& tenant, const std::vector<InquirySend>& batch) override
    {
        std::lock_guard<std::recursive_mutex> lock(mutex);
        inquiryBatches.push_back(batch.size());
        return NetworkPort::sendInquiries(tenant, batch);
    }
    std::vector<Status> sendResponses(const TenantProfile& tenant, const std::vector<StoredMessage>& batch) override
    {
        std::lock_guard<std::recursive_mutex> lock(mutex);
        responseBatches.push_back(batch.size());
        return NetworkPort::sendResponses(tenant, batch);
    }
    Result<std::string> fetchPermissionList(const TenantProfile&) override
    {
        return permissionList;
    }
    Result<std::string> fetchDirectory(const TenantProfile&) override { return directory; }

    std::map<std::string, std::string> refused;
    std::string permitRefusal;
    std::map<std::string, std::string> permitRefusedFor; ///< PermitAsk messageId → the refusal
    std::set<std::string> inquiryUnavailableFor;          ///< serials whose Inquiry meets UNAVAILABLE
    std::vector<std::size_t> permitBatches, inquiryBatches, responseBatches; ///< items per batched call
    std::vector<PermitAsk> asks;
    std::vector<std::string> sentInquiries;
    std::vector<std::string> sentResponses;
    std::string permissionList;
    std::string directory;
    bool down = false;
    int calls = 0;
    std::recursive_mutex mutex; ///< held by every call (recursive: onInquirySent may call back)
};

/// A stored-shape inquiry from 千葉市 to 防府市 (事務, 手続き and item of the test permission lists).
inline Inquiry testInquiry(const std::string& serial, const std::string& systemId = "juki",
                           const std::string& atenaNo = "000000000000101")
{
    Inquiry q;
    q.serial = serial;
    q.systemId = systemId;
    q.atenaNo = atenaNo;
    q.jimuCode = "JM01000000121000";
    q.procedureCode = "JT01010000000214";
    q.itemCode = "TM00000000000002";
    q.providerCode = "3520630000000000";
    q.requestedAt = 1;
    return q;
}

class GatewayFixture
{
public:
    GatewayFixture()
        : network(std::make_shared<FakeNetwork>()), clock(std::make_shared<ManualClock>())
    {
        if (!Migrator(store.db()).migrate().isOk())
            throw std::runtime_error("migration failed");
        Settings s;
        s.nodeId = "test";
        s.schemasDir = std::string(CHUKAN_SOURCE_DIR) + "/conf/schemas";
        s.tenants.push_back(
            TenantProfile{TenantCode::parse("121002").value(), "1210020000000000", "", "", "", ""});
        s.tenants.push_back(
            TenantProfile{TenantCode::parse("352063").value(), "3520630000000000", "", "", "", ""});
        services.reset(new GatewayServices(s, clock, store.shared(), network));
    }

    /// Registers a system and returns its (synthetic) fingerprint.
    std::string addSystem(const std::string& tenant, const std::string& id,
                          std::set<std::string> operations, std::set<std::string> jimu = {},
                          bool enabled = true)
    {
        ConnectedSystem sys;
        sys.systemId = id;
        sys.name = id;
        std::string fp = std::string(64, 'a');
        std::string tag = tenant + id;
        for (std::size_t i = 0; i < tag.size() && i < 64; ++i)
            fp[i] = "0123456789abcdef"[static_cast<unsigned char>(tag[i]) % 16];
        sys.certFingerprint = fp;
        sys.operations = std::move(operations);
        sys.jimuCodes = std::move(jimu);
        SystemStore systems(store.db());
        Status st = systems.add(TenantCode::parse(tenant).value(), sys, 1);
        if (!st)
            throw std::runtime_error(st.toString());
        if (!enabled)
            systems.setEnabled(TenantCode::parse(tenant).value(), id, false);
        return fp;
    }

    Exchange exchange(const std::string& organization, const std::string& fingerprint,
                      const std::string& operation, const std::string& body = "")
    {
        Exchange ex;
        ex.requestId = "req-test";
        ex.clientOrganization = organization;
        ex.clientFingerprint = fingerprint;
        ex.operation = operation;
        ex.body = body;
        return ex;
    }

    TestStore store;
    std::shared_ptr<FakeNetwork> network;
    std::shared_ptr<ManualClock> clock;
    std::unique_ptr<GatewayServices> services;
};

} // namespace test
} // namespace chukan
