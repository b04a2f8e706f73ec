// SimDirectory: ipn-sim's institutions (code, tenant, name, inbound endpoint, encryption certificate), mutable at runtime.
#pragma once

#include "codecs/Result.h"
#include "codecs/SignedDirectory.h"

#include <Poco/Timestamp.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace chukan
{

struct SimInstitution
{
    std::string code;     ///< 16-character 機関コード; the client certificate's CN
    std::string tenant;   ///< 地方公共団体コード; the client certificate's O
    std::string name;
    std::string endpoint; ///< inbound base URL, e.g. https://127.0.0.1:8443 (may be empty until registered)
    std::string encryptionCertificate; ///< PEM
};

/// Thread-safe. The directory file is CSV (UTF-8, '#' comments, a header line
/// `code,tenant,name,endpoint,encryptionCertificate`); encryptionCertificate is a PEM file path,
/// relative to the directory file's folder; endpoint may be empty (register it at runtime).
class SimDirectory
{
public:
    /// Published for an institution whose endpoint is not registered yet.
    static constexpr const char* UNREGISTERED = "https://unregistered.invalid";

    explicit SimDirectory(std::vector<SimInstitution> institutions = {});

    static Result<std::vector<SimInstitution>> loadFile(const std::string& path);

    std::optional<SimInstitution> find(const std::string& code) const;
    /// The institution whose code is `commonName` and tenant is `organization`.
    std::optional<SimInstitution> byCertificate(const std::string& organization,
                                                const std::string& commonName) const;
    /// Updates the endpoint (and, when given, the certificate) of a known institution, or adds
    /// one when tenant, name and certificate are all given. INVALID_ARGUMENT / NOT_FOUND.
    Status upsert(const SimInstitution& change);

    /// The directory payload to sign (directoryId "sim-<version>").
    SignedDirectory toDirectory(const Poco::Timestamp& now) const;
    /// Increases with every change.
    std::uint64_t version() const;
    std::vector<SimInstitution> all() const;

private:
    mutable std::mutex _mutex;
    std::map<std::string, SimInstitution> _byCode;
    std::uint64_t _version = 1;
};

} // namespace chukan
