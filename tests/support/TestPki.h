// TestPki: builds a throwaway CA and RSA/EC certificates in memory at test time (no committed keys).
#pragma once

#include "codecs/CryptoPtr.h"

#include <ctime>
#include <string>

namespace chukan {

/// A certificate with its private key, both PEM.
struct TestIdentity
{
    std::string certPem;
    std::string keyPem;
};

/// Validity is fixed in absolute time, not relative to the wall clock, so tests that verify
/// "at" a chosen instant are hermetic. Throws std::runtime_error if OpenSSL fails (a test bug).
class TestPki
{
public:
    enum class Key
    {
        RSA, ///< 2048 bits (fast enough for tests)
        EC   ///< P-256
    };

    /// Default validity of issued certificates: 2025-01-01T00:00:00Z .. 2035-01-01T00:00:00Z.
    static constexpr std::time_t DEFAULT_FROM = 1735689600;
    static constexpr std::time_t DEFAULT_TO = 2051222400;

    struct Options
    {
        Key key = Key::EC;
        bool ca = false;
        /// keyUsage extension value (X509V3 config syntax).
        std::string keyUsage = "critical,digitalSignature,keyEncipherment,keyAgreement";
        /// extendedKeyUsage extension value; empty for none. Document signers need
        /// "1.3.6.1.5.5.7.3.36" (id-kp-documentSigning), see documentSigner().
        std::string extendedKeyUsage;
        std::time_t notBefore = DEFAULT_FROM;
        std::time_t notAfter = DEFAULT_TO;
    };

    /// A new self-signed root CA with an EC P-256 key, named `name`.
    explicit TestPki(const std::string& name = "chukan test root");

    const TestIdentity& ca() const { return _ca; }

    /// Issues an end-entity (or CA, with options.ca) certificate CN=cn, O=chukan-test under this CA.
    TestIdentity issue(const std::string& cn, const Options& options) const;
    TestIdentity issue(const std::string& cn, Key key) const
    {
        Options o;
        o.key = key;
        return issue(cn, o);
    }

    /// Options for a network document signer: digitalSignature + documentSigning.
    static Options documentSigner(Key key = Key::EC)
    {
        Options o;
        o.key = key;
        o.keyUsage = "critical,digitalSignature";
        o.extendedKeyUsage = "1.3.6.1.5.5.7.3.36";
        return o;
    }

    static EvpPkeyPtr generateKey(Key key);

private:
    TestIdentity _ca;
};

} // namespace chukan
