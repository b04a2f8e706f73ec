// CryptoPem: PEM parsing through memory BIOs; no passphrase prompts, errors as Status values.
#include "codecs/CryptoPem.h"

#include "codecs/CryptoError.h"

#include <openssl/pem.h>

namespace chukan {

namespace {

BioPtr readBio(const std::string& data)
{
    return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string bioText(BIO* bio)
{
    char* p = nullptr;
    long n = BIO_get_mem_data(bio, &p);
    return n > 0 ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

int noPassphrase(char*, int, int, void*)
{
    return -1;
}

} // namespace

Result<X509Ptr> CryptoPem::certificate(const std::string& pem, const std::string& what)
{
    CryptoError::clear();
    BioPtr bio = readBio(pem);
    X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
    if (!cert)
        return CryptoError::status(Status::INVALID_ARGUMENT, what + ": not a PEM certificate");
    return cert;
}

Result<std::vector<X509Ptr>> CryptoPem::certificates(const std::string& pem, const std::string& what)
{
    CryptoError::clear();
    BioPtr bio = readBio(pem);
    std::vector<X509Ptr> out;
    while (bio)
    {
        X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr));
        if (!cert)
            break;
        out.push_back(std::move(cert));
    }
    CryptoError::clear(); // the read past the last certificate always queues "no start line"
    if (out.empty())
        return Status::invalid(what + ": no PEM certificate found");
    return out;
}

Result<EvpPkeyPtr> CryptoPem::privateKey(const std::string& pem, const std::string& what)
{
    CryptoError::clear();
    BioPtr bio = readBio(pem);
    EvpPkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
    if (!key)
        return CryptoError::status(Status::INVALID_ARGUMENT,
                                   what + ": not an unencrypted PEM private key");
    return key;
}

std::string CryptoPem::toPem(X509* cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    return bioText(bio.get());
}

std::string CryptoPem::toPem(EVP_PKEY* key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    return bioText(bio.get());
}

std::string CryptoPem::subject(X509* cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    return bioText(bio.get());
}

std::string CryptoPem::keyType(EVP_PKEY* key)
{
    if (EVP_PKEY_is_a(key, "RSA"))
        return "RSA";
    if (EVP_PKEY_is_a(key, "EC"))
        return "EC";
    const char* name = EVP_PKEY_get0_type_name(key);
    return name ? name : "unknown";
}

} // namespace chukan
