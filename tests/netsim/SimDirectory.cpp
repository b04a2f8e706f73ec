// SimDirectory: CSV loading, lookups by certificate subject, runtime endpoint registration.
#include "tests/netsim/SimDirectory.h"

#include "codecs/CryptoPem.h"
#include "tests/netsim/SimCsv.h"

#include <Poco/Path.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace chukan
{

namespace
{
const std::regex CODE16("[A-Z0-9]{16}");
const std::regex TENANT("[0-9]{6}");

Status checkEndpoint(const std::string& code, const std::string& endpoint)
{
    if (endpoint.empty())
        return Status::ok();
    if (endpoint.compare(0, 8, "https://") != 0 || endpoint.size() < 9 || endpoint.back() == '/')
        return Status::invalid("institution " + code + ": endpoint '" + endpoint +
                               "' must be an https base URL without a trailing slash");
    return Status::ok();
}
} // namespace

SimDirectory::SimDirectory(std::vector<SimInstitution> institutions)
{
    for (SimInstitution& i : institutions)
        _byCode[i.code] = std::move(i);
}

Result<std::vector<SimInstitution>> SimDirectory::loadFile(const std::string& path)
{
    Result<std::vector<std::vector<std::string>>> rows =
        SimCsv::read(path, {"code", "tenant", "name", "endpoint", "encryptionCertificate"});
    if (!rows)
        return rows.status();
    std::string base = Poco::Path(path).parent().toString();
    std::vector<SimInstitution> out;
    std::size_t n = 0;
    for (const auto& r : rows.value())
    {
        ++n;
        std::string where = "directory " + path + " row " + std::to_string(n) + ": ";
        SimInstitution i{r[0], r[1], r[2], r[3], ""};
        if (!std::regex_match(i.code, CODE16))
            return Status::invalid(where + "code '" + i.code + "' is not 16 capitals or digits");
        if (!std::regex_match(i.tenant, TENANT))
            return Status::invalid(where + "tenant '" + i.tenant + "' is not 6 digits");
        Status e = checkEndpoint(i.code, i.endpoint);
        if (!e)
            return Status::invalid(where + e.message());
        std::string certPath = r[4];
        if (!certPath.empty() && certPath[0] != '/')
            certPath = base + certPath;
        std::ifstream in(certPath);
        if (!in)
            return Status::invalid(where + "encryptionCertificate '" + certPath +
                                   "' cannot be read");
        std::stringstream pem;
        pem << in.rdbuf();
        i.encryptionCertificate = pem.str();
        if (!CryptoPem::certificate(i.encryptionCertificate, "encryptionCertificate"))
            return Status::invalid(where + "encryptionCertificate '" + certPath +
                                   "' is not a PEM certificate");
        for (const SimInstitution& o : out)
            if (o.code == i.code)
                return Status::invalid(where + "code " + i.code + " appears twice");
        out.push_back(std::move(i));
    }
    return out;
}

std::optional<SimInstitution> SimDirectory::find(const std::string& code) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _byCode.find(code);
    if (it == _byCode.end())
        return std::nullopt;
    return it->second;
}

std::optional<SimInstitution> SimDirectory::byCertificate(const std::string& organization,
                                                          const std::string& commonName) const
{
    std::optional<SimInstitution> i = find(commonName);
    if (!i || i->tenant != organization)
        return std::nullopt;
    return i;
}

Status SimDirectory::upsert(const SimInstitution& change)
{
    if (!std::regex_match(change.code, CODE16))
        return Status::invalid("institution: code '" + change.code +
                               "' is not 16 capitals or digits");
    Status e = checkEndpoint(change.code, change.endpoint);
    if (!e)
        return e;
    if (!change.encryptionCertificate.empty() &&
        !CryptoPem::certificate(change.encryptionCertificate, "encryptionCertificate"))
        return Status::invalid("institution " + change.code +
                               ": encryptionCertificate is not a PEM certificate");
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _byCode.find(change.code);
    if (it == _byCode.end())
    {
        if (!std::regex_match(change.tenant, TENANT) || change.name.empty() ||
            change.encryptionCertificate.empty())
            return Status::notFound("institution " + change.code +
                                    " is not in the directory (a new one needs tenant, name "
                                    "and encryptionCertificate)");
        _byCode[change.code] = change;
    }
    else
    {
        if (!change.tenant.empty() && change.tenant != it->second.tenant)
            return Status::invalid("institution " + change.code + ": tenant cannot change");
        if (!change.endpoint.empty())
            it->second.endpoint = change.endpoint;
        if (!change.name.empty())
            it->second.name = change.name;
        if (!change.encryptionCertificate.empty())
            it->second.encryptionCertificate = change.encryptionCertificate;
    }
    ++_version;
    return Status::ok();
}

SignedDirectory SimDirectory::toDirectory(const Poco::Timestamp& now) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    SignedDirectory d;
    d.directoryId = "sim-" + std::to_string(_version);
    d.issuedAt = now;
    for (const auto& [code, i] : _byCode)
        d.institutions.push_back(
            {i.code, i.name, i.endpoint.empty() ? UNREGISTERED : i.endpoint, i.encryptionCertificate});
    return d;
}

std::uint64_t SimDirectory::version() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _version;
}

std::vector<SimInstitution> SimDirectory::all() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<SimInstitution> out;
    for (const auto& [code, i] : _byCode)
        out.push_back(i);
    return out;
}

} // namespace chukan
