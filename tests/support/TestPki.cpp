// TestPki: X509 API certificate factory for tests — EC root, RSA or EC leaves, fixed validity windows.
#include "tests/support/TestPki.h"

#include "codecs/CryptoError.h"
#include "codecs/CryptoPem.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace chukan {

namespace {

void require(bool ok, const char* what)
{
    if (!ok)
        throw std::runtime_error(std::string("TestPki: ") + what + ": " + CryptoError::drain());
}

void addExt(X509* cert, X509* issuer, int nid, const std::string& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    require(ext != nullptr, "extension");
    require(X509_add_ext(cert, ext.get(), -1) == 1, "add extension");
}

X509Ptr makeCert(const std::string& cn, EVP_PKEY* subjectKey, X509* issuer, EVP_PKEY* issuerKey,
                 const TestPki::Options& o)
{
    X509Ptr cert(X509_new());
    require(cert != nullptr, "X509_new");
    require(X509_set_version(cert.get(), 2) == 1, "version");
    unsigned char serial[16];
    require(RAND_bytes(serial, sizeof serial) == 1, "serial");
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    require(bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())), "serial number");
    BN_free(bn);
    require(ASN1_TIME_set(X509_getm_notBefore(cert.get()), o.notBefore) != nullptr, "notBefore");
    require(ASN1_TIME_set(X509_getm_notAfter(cert.get()), o.notAfter) != nullptr, "notAfter");
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("chukan-test"),
                               -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                               -1, 0);
    X509* signer = issuer ? issuer : cert.get();
    require(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "issuer");
    require(X509_set_pubkey(cert.get(), subjectKey) == 1, "pubkey");
    addExt(cert.get(), signer, NID_basic_constraints, o.ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    addExt(cert.get(), signer, NID_key_usage, o.ca ? "critical,keyCertSign,cRLSign" : o.keyUsage);
    if (!o.extendedKeyUsage.empty())
        addExt(cert.get(), signer, NID_ext_key_usage, o.extendedKeyUsage);
    addExt(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (issuer)
        addExt(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    require(X509_sign(cert.get(), issuerKey, EVP_sha256()) > 0, "sign");
    return cert;
}

} // namespace

EvpPkeyPtr TestPki::generateKey(Key key)
{
    EvpPkeyPtr k(key == Key::RSA ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                                 : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    require(k != nullptr, "key generation");
    return k;
}

TestPki::TestPki(const std::string& name)
{
    EvpPkeyPtr key = generateKey(Key::EC);
    Options o;
    o.ca = true;
    o.notBefore = DEFAULT_FROM - 86400;
    o.notAfter = DEFAULT_TO + 86400;
    X509Ptr cert = makeCert(name, key.get(), nullptr, key.get(), o);
    _ca.certPem = CryptoPem::toPem(cert.get());
    _ca.keyPem = CryptoPem::toPem(key.get());
}

TestIdentity TestPki::issue(const std::string& cn, const Options& options) const
{
    Result<X509Ptr> caCert = CryptoPem::certificate(_ca.certPem, "test CA");
    Result<EvpPkeyPtr> caKey = CryptoPem::privateKey(_ca.keyPem, "test CA key");
    require(caCert.isOk() && caKey.isOk(), "reload CA");
    EvpPkeyPtr key = generateKey(options.key);
    X509Ptr cert = makeCert(cn, key.get(), caCert->get(), caKey->get(), options);
    return TestIdentity{CryptoPem::toPem(cert.get()), CryptoPem::toPem(key.get())};
}

} // namespace chukan
