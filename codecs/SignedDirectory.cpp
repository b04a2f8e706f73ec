// SignedDirectory: parsing, serialisation and lookup of the signed institution directory.
#include "codecs/SignedDirectory.h"

#include "codecs/CryptoPem.h"
#include "codecs/SignedPayload.h"
#include "codecs/SignedTime.h"

#include <Poco/JSON/Array.h>

#include <set>

namespace chukan {

std::string SignedDirectory::toJson() const
{
    Poco::JSON::Object obj;
    obj.set("type", std::string(TYPE));
    obj.set("directoryId", directoryId);
    obj.set("issuedAt", SignedTime::format(issuedAt));
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const Institution& i : institutions)
    {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        o->set("code", i.code);
        o->set("name", i.name);
        o->set("endpoint", i.endpoint);
        o->set("encryptionCertificate", i.encryptionCertificate);
        arr->add(o);
    }
    obj.set("institutions", arr);
    return SignedPayload::stringify(obj);
}

Result<SignedDirectory> SignedDirectory::parse(const std::string& payload)
{
    Result<SignedPayload> parsed = SignedPayload::parse(payload, TYPE);
    if (!parsed)
        return parsed.status();
    const SignedPayload& p = parsed.value();
    Status s = p.onlyMembers({"type", "directoryId", "issuedAt", "institutions"});
    if (!s)
        return s;
    SignedDirectory out;
    Result<std::string> id = p.string("directoryId");
    if (!id)
        return id.status();
    out.directoryId = id.value();
    Result<Poco::Timestamp> issued = p.time("issuedAt");
    if (!issued)
        return issued.status();
    out.issuedAt = issued.value();
    Result<std::vector<SignedPayload>> items = p.objects("institutions");
    if (!items)
        return items.status();
    std::set<std::string> seen;
    for (const SignedPayload& item : items.value())
    {
        s = item.onlyMembers({"code", "name", "endpoint", "encryptionCertificate"});
        if (!s)
            return s;
        Institution inst;
        Result<std::string> code = item.code16("code");
        if (!code)
            return code.status();
        inst.code = code.value();
        if (!seen.insert(inst.code).second)
            return Status::invalid(item.where() + ": institution " + inst.code + " is listed twice");
        Result<std::string> name = item.string("name");
        if (!name)
            return name.status();
        inst.name = name.value();
        Result<std::string> endpoint = item.string("endpoint");
        if (!endpoint)
            return endpoint.status();
        if (endpoint->compare(0, 8, "https://") != 0)
            return Status::invalid(item.where() + ": endpoint '" + endpoint.value() + "' is not an https URL");
        inst.endpoint = endpoint.value();
        Result<std::string> cert = item.string("encryptionCertificate");
        if (!cert)
            return cert.status();
        Result<X509Ptr> parsedCert = CryptoPem::certificate(cert.value(), item.where() + " encryptionCertificate");
        if (!parsedCert)
            return parsedCert.status();
        inst.encryptionCertificate = cert.value();
        out.institutions.push_back(inst);
    }
    return out;
}

const SignedDirectory::Institution* SignedDirectory::find(const std::string& code) const
{
    for (const Institution& i : institutions)
        if (i.code == code)
            return &i;
    return nullptr;
}

} // namespace chukan
