// CryptoCache: three small LRU maps (digest -> X509 / EVP_PKEY / checked signer pair) behind one mutex; CryptoPem parses on a miss.
#include "codecs/CryptoCache.h"

#include "codecs/CryptoError.h"
#include "codecs/CryptoPem.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <optional>

namespace chukan {

namespace {

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

Digest digestOf(const std::string& text)
{
    Digest d{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), d.data());
    return d;
}

/// A new reference to a shared OpenSSL object (X509Ptr / EvpPkeyPtr): UpRef raises its count.
template <typename Ptr, int (*UpRef)(typename Ptr::element_type*)>
Ptr shareRef(const Ptr& object)
{
    UpRef(object.get());
    return Ptr(object.get());
}

CryptoCache::Signer shareSigner(const CryptoCache::Signer& s)
{
    return CryptoCache::Signer{shareRef<EvpPkeyPtr, EVP_PKEY_up_ref>(s.key),
                               shareRef<X509Ptr, X509_up_ref>(s.certificate), s.certificatePem};
}

/// One kind of object: Value is X509Ptr, EvpPkeyPtr or a Signer; Share makes the caller's copy
/// of a cached one (new references to the same objects).
template <typename Value, Value (*Share)(const Value&)>
class Lru
{
public:
    /// A copy of the cached value, or nothing.
    std::optional<Value> find(const Digest& d, std::uint64_t tick)
    {
        auto it = _entries.find(d);
        if (it == _entries.end())
            return std::nullopt;
        it->second.lastUse = tick;
        return Share(it->second.object);
    }

    /// Keeps `object` (the cache's own copy) and returns a copy of what is cached under `d`
    /// (another thread's value if it got there first).
    Value insert(const Digest& d, Value object, std::uint64_t tick)
    {
        auto it = _entries.find(d);
        if (it == _entries.end())
        {
            if (_entries.size() >= CryptoCache::CAPACITY)
            {
                auto oldest = _entries.begin();
                for (auto e = _entries.begin(); e != _entries.end(); ++e)
                    if (e->second.lastUse < oldest->second.lastUse)
                        oldest = e;
                _entries.erase(oldest);
            }
            it = _entries.emplace(d, Entry{std::move(object), tick}).first;
        }
        it->second.lastUse = tick;
        return Share(it->second.object);
    }

    std::size_t size() const { return _entries.size(); }
    void clear() { _entries.clear(); }

private:
    struct Entry
    {
        Value object;
        std::uint64_t lastUse = 0;
    };
    std::map<Digest, Entry> _entries;
};

struct State
{
    std::mutex mutex;
    std::uint64_t tick = 0;
    std::size_t parsed = 0;
    std::size_t hits = 0;
    std::size_t pairChecks = 0;
    Lru<X509Ptr, shareRef<X509Ptr, X509_up_ref>> certificates;
    Lru<EvpPkeyPtr, shareRef<EvpPkeyPtr, EVP_PKEY_up_ref>> keys;
    Lru<CryptoCache::Signer, shareSigner> signers;
};

State& state()
{
    static State* s = new State; // never destroyed: usable from other static destructors
    return *s;
}

/// Looks up, or parses outside the lock and inserts. Parse: (pem, what) -> Result<Ptr>.
template <typename Ptr, typename Cache, typename Parse>
Result<Ptr> cached(Cache State::*member, const std::string& pem, const std::string& what, Parse parse)
{
    Digest d = digestOf(pem);
    State& s = state();
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        std::optional<Ptr> hit = (s.*member).find(d, ++s.tick);
        if (hit)
        {
            ++s.hits;
            return std::move(*hit);
        }
    }
    Result<Ptr> parsed = parse(pem, what);
    if (!parsed)
        return parsed;
    std::lock_guard<std::mutex> lock(s.mutex);
    ++s.parsed;
    return (s.*member).insert(d, std::move(parsed).value(), ++s.tick);
}

} // namespace

Result<X509Ptr> CryptoCache::certificate(const std::string& pem, const std::string& what)
{
    return cached<X509Ptr>(&State::certificates, pem, what, &CryptoPem::certificate);
}

Result<EvpPkeyPtr> CryptoCache::privateKey(const std::string& pem, const std::string& what)
{
    return cached<EvpPkeyPtr>(&State::keys, pem, what, &CryptoPem::privateKey);
}

Result<CryptoCache::Signer> CryptoCache::signer(const std::string& keyPem, const std::string& certPem,
                                                const std::string& keyWhat, const std::string& certWhat)
{
    // The pair's key: the digest of the two texts' digests (so no text is kept, as above).
    Digest pair{};
    {
        Digest k = digestOf(keyPem), c = digestOf(certPem);
        unsigned char both[2 * SHA256_DIGEST_LENGTH];
        std::copy(k.begin(), k.end(), both);
        std::copy(c.begin(), c.end(), both + SHA256_DIGEST_LENGTH);
        SHA256(both, sizeof both, pair.data());
    }
    State& s = state();
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        std::optional<Signer> hit = s.signers.find(pair, ++s.tick);
        if (hit)
        {
            ++s.hits;
            return std::move(*hit);
        }
    }
    Result<EvpPkeyPtr> key = privateKey(keyPem, keyWhat);
    if (!key)
        return key.status();
    Result<X509Ptr> cert = certificate(certPem, certWhat);
    if (!cert)
        return cert.status();
    {
        std::lock_guard<std::mutex> lock(s.mutex);
        ++s.pairChecks;
    }
    if (X509_check_private_key(cert->get(), key->get()) != 1)
    {
        CryptoError::clear();
        return Status::invalid(certWhat + " (" + CryptoPem::subject(cert->get()) +
                               "): does not belong to the " + keyWhat);
    }
    CryptoError::clear();
    auto pem = std::make_shared<const std::string>(CryptoPem::toPem(cert->get()));
    Signer fresh{std::move(key).value(), std::move(cert).value(), std::move(pem)};
    std::lock_guard<std::mutex> lock(s.mutex);
    return s.signers.insert(pair, std::move(fresh), ++s.tick);
}

CryptoCache::Counts CryptoCache::counts()
{
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    Counts c;
    c.parsed = s.parsed;
    c.hits = s.hits;
    c.certificates = s.certificates.size();
    c.keys = s.keys.size();
    c.signers = s.signers.size();
    c.pairChecks = s.pairChecks;
    return c;
}

void CryptoCache::clear()
{
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.certificates.clear();
    s.keys.clear();
    s.signers.clear();
}

} // namespace chukan
