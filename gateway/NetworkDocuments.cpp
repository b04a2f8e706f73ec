// NetworkDocuments: verify, parse, then swap — the permission list and directory the gateway acts on.
#include "gateway/NetworkDocuments.h"

#include "codecs/SignedEnvelope.h"

namespace chukan {

Status NetworkDocuments::loadPermissionList(const std::string& signedJson, const Poco::Timestamp& now)
{
    Result<SignedEnvelope> env = SignedEnvelope::parse(signedJson);
    if (!env)
        return Status(env.status().code(), "permission list: " + env.status().message());
    Status st = env.value().verify(*_trust, now);
    if (!st)
        return Status(st.code(), "permission list: " + st.message());
    Result<PermitList> list = PermitList::parse(env.value().payload());
    if (!list)
        return Status(list.status().code(), "permission list: " + list.status().message());
    std::lock_guard<std::mutex> lock(_mutex);
    _list = std::make_shared<const PermitList>(std::move(list).value());
    return Status::ok();
}

Status NetworkDocuments::loadDirectory(const std::string& signedJson, const Poco::Timestamp& now)
{
    Result<SignedEnvelope> env = SignedEnvelope::parse(signedJson);
    if (!env)
        return Status(env.status().code(), "directory: " + env.status().message());
    Status st = env.value().verify(*_trust, now);
    if (!st)
        return Status(st.code(), "directory: " + st.message());
    Result<SignedDirectory> dir = SignedDirectory::parse(env.value().payload());
    if (!dir)
        return Status(dir.status().code(), "directory: " + dir.status().message());
    std::lock_guard<std::mutex> lock(_mutex);
    _directory = std::make_shared<const SignedDirectory>(std::move(dir).value());
    return Status::ok();
}

Status NetworkDocuments::refresh(NetworkPort& network, const TenantProfile& tenant, const Poco::Timestamp& now)
{
    Result<std::string> list = network.fetchPermissionList(tenant);
    if (!list)
        return list.status();
    Status st = loadPermissionList(list.value(), now);
    if (!st)
        return st;
    Result<std::string> dir = network.fetchDirectory(tenant);
    if (!dir)
        return dir.status();
    return loadDirectory(dir.value(), now);
}

std::shared_ptr<const PermitList> NetworkDocuments::permissionList() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _list;
}

std::shared_ptr<const SignedDirectory> NetworkDocuments::directory() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _directory;
}

} // namespace chukan
