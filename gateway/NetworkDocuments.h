// NetworkDocuments: the verified local copies of the network's permission list and directory, swapped atomically.
#pragma once

#include "codecs/CryptoTrustStore.h"
#include "codecs/PermitList.h"
#include "codecs/SignedDirectory.h"
#include "gateway/NetworkPort.h"

#include <memory>
#include <mutex>

namespace chukan {

/// Thread-safe: readers get a shared_ptr to an immutable copy; load*/refresh replace it only
/// after the signature verified against the trust anchor and the payload parsed, so a
/// tampered or broken download never replaces a good list.
class NetworkDocuments
{
public:
    explicit NetworkDocuments(std::shared_ptr<const CryptoTrustStore> trust) : _trust(std::move(trust)) {}

    Status loadPermissionList(const std::string& signedJson, const Poco::Timestamp& now);
    Status loadDirectory(const std::string& signedJson, const Poco::Timestamp& now);
    /// Fetches both through the network (with this tenant's identity) and loads them.
    Status refresh(NetworkPort& network, const TenantProfile& tenant, const Poco::Timestamp& now);

    /// Null until a list was loaded (then every inquiry and provision is refused).
    std::shared_ptr<const PermitList> permissionList() const;
    std::shared_ptr<const SignedDirectory> directory() const;
    const CryptoTrustStore& trust() const { return *_trust; }
    std::shared_ptr<const CryptoTrustStore> trustPtr() const { return _trust; }

private:
    std::shared_ptr<const CryptoTrustStore> _trust;
    mutable std::mutex _mutex;
    std::shared_ptr<const PermitList> _list;
    std::shared_ptr<const SignedDirectory> _directory;
};

} // namespace chukan
