// CryptoTrustStore: X509_verify_cert against configured anchors at a caller-given time, plus signer key usage.
#include "codecs/CryptoTrustStore.h"

#include "codecs/CryptoError.h"
#include "codecs/CryptoPem.h"

namespace chukan {

namespace {

using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE, CryptoDeleter<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>>;

bool hasDocumentSigning(X509* leaf)
{
    EkuPtr eku(static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(leaf, NID_ext_key_usage, nullptr, nullptr)));
    if (!eku)
        return false;
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i)
    {
        char oid[80];
        if (OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku.get(), i), 1) > 0 &&
            std::string(oid) == CryptoTrustStore::DOCUMENT_SIGNING_OID)
            return true;
    }
    return false;
}

} // namespace

Result<CryptoTrustStore> CryptoTrustStore::fromPem(const std::string& bundlePem)
{
    Result<std::vector<X509Ptr>> certs = CryptoPem::certificates(bundlePem, "trust anchors");
    if (!certs)
        return certs.status();
    X509StorePtr store(X509_STORE_new());
    if (!store)
        return CryptoError::status(Status::INTERNAL, "trust anchors: cannot allocate X509_STORE");
    for (const X509Ptr& c : certs.value())
        if (X509_STORE_add_cert(store.get(), c.get()) != 1) // takes its own reference
            return CryptoError::status(Status::INVALID_ARGUMENT,
                                       "trust anchor " + CryptoPem::subject(c.get()) + ": cannot add");
    return CryptoTrustStore(std::move(store), certs->size());
}

Status CryptoTrustStore::verifySigner(X509* leaf, STACK_OF(X509) * intermediates, const Poco::Timestamp& at) const
{
    std::string who = "signer " + CryptoPem::subject(leaf);
    CryptoError::clear();
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), _store.get(), leaf, intermediates) != 1)
        return CryptoError::status(Status::INTERNAL, who + ": cannot start chain verification");
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(at.epochTime()));
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
    if (X509_verify_cert(ctx.get()) != 1)
    {
        int err = X509_STORE_CTX_get_error(ctx.get());
        CryptoError::clear();
        return Status::denied(who + ": not trusted: " + X509_verify_cert_error_string(err));
    }
    // Purpose: a document signer is an end entity whose key may make digital signatures.
    if (X509_check_ca(leaf) != 0)
        return Status::denied(who + ": is a CA certificate, not a document signer");
    if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) == 0 ||
        (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0)
        return Status::denied(who + ": key usage does not include digitalSignature");
    // Extended key usage must name document signing, so TLS certificates under the same root
    // (business-system clients, gateways) can never sign a permit.
    if (!hasDocumentSigning(leaf))
        return Status::denied(who + ": extended key usage does not include documentSigning (" +
                              DOCUMENT_SIGNING_OID + ")");
    return Status::ok();
}

} // namespace chukan
