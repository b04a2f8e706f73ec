// CryptoCache: two small LRU maps (digest -> X509 / EVP_PKEY) behind one mutex; CryptoPem parses on a miss.
#include "codecs/CryptoCache.h"

#include "codecs/CryptoPem.h"

#include <openssl/sha.h>

#include <array>
#include <map>
#include <mutex>

namespace chukan {

namespace {

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

Digest digestOf(const std::string& text)
{
    Digest d{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), d.data());
    return d;
}

/// One kind of object: Ptr is X509Ptr or EvpPkeyPtr; UpRef raises the count of a shared one.
template <typename Ptr, int (*UpRef)(typename Ptr::element_type*)>
class Lru
{
public:
    /// A new reference to the cached object, or null.
    Ptr find(const Digest& d, std::uint64_t tick)
    {
        auto it = _entries.find(d);
        if (it == _entries.end())
            return Ptr();
        it->second.lastUse = tick;
        UpRef(it->second.object.get());
        return Ptr(it->second.object.get());
    }

    /// Keeps `object` (the cache's own reference) and returns a new reference to what is cached
    /// under `d` (another thread's object if it got there first).
    Ptr insert(const Digest& d, Ptr object, std::uint64_t tick)
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
        UpRef(it->second.object.get());
        return Ptr(it->second.object.get());
    }

    std::size_t size() const { return _entries.size(); }
    void clear() { _entries.clear(); }

private:
    struct Entry
    {
        Ptr object;
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
    Lru<X509Ptr, X509_up_ref> certificates;
    Lru<EvpPkeyPtr, EVP_PKEY_up_ref> keys;
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
        Ptr hit = (s.*member).find(d, ++s.tick);
        if (hit)
        {
            ++s.hits;
            return hit;
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

CryptoCache::Counts CryptoCache::counts()
{
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    Counts c;
    c.parsed = s.parsed;
    c.hits = s.hits;
    c.certificates = s.certificates.size();
    c.keys = s.keys.size();
    return c;
}

void CryptoCache::clear()
{
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.certificates.clear();
    s.keys.clear();
}

} // namespace chukan
