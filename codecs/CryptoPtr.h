// CryptoPtr: std::unique_ptr aliases that release OpenSSL objects with their own free functions.
#pragma once

#include <openssl/bio.h>
#include <openssl/pem.h> // before cms.h, which declares PEM_read_bio_CMS only if pem.h came first
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace chukan {

/// Deleter calling OpenSSL's `Free` (null-safe, as OpenSSL's free functions are).
template <typename T, void (*Free)(T*)>
struct CryptoDeleter
{
    void operator()(T* p) const { Free(p); }
};

/// Pops and frees every certificate, then the stack.
struct X509StackDeleter
{
    void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};

using BioPtr = std::unique_ptr<BIO, CryptoDeleter<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, CryptoDeleter<X509, X509_free>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;
using X509StorePtr = std::unique_ptr<X509_STORE, CryptoDeleter<X509_STORE, X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, CryptoDeleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, CryptoDeleter<X509_EXTENSION, X509_EXTENSION_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, CryptoDeleter<EVP_PKEY, EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, CryptoDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, CryptoDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, CryptoDeleter<CMS_ContentInfo, CMS_ContentInfo_free>>;

} // namespace chukan
