// The revocation list, certificate inspection and chain verification.
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "nfvsm/vbs_protocol.h"
#include "vbs/ca_internal.h"
#include "vbs/certificate_checks.h"

namespace nfvsm::vbs {
namespace {

using internal::OpenSslFailure;
using internal::X509Ptr;

StatusOr<std::string> CrlToDer(X509_CRL* crl) {
  int len = i2d_X509_CRL(crl, nullptr);
  if (len <= 0) return OpenSslFailure(StatusCode::kInternal, "CRL encoding");
  std::string der(static_cast<size_t>(len), '\0');
  unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_X509_CRL(crl, &p) != len) {
    return OpenSslFailure(StatusCode::kInternal, "CRL encoding");
  }
  return der;
}

Status AddRevoked(X509_CRL* crl, const RevokedCertificate& r) {
  internal::X509RevokedPtr revoked(X509_REVOKED_new());
  if (!revoked) return OpenSslFailure(StatusCode::kInternal, "X509_REVOKED");
  NFVSM_ASSIGN_OR_RETURN(internal::Asn1IntegerPtr serial,
                         internal::SerialFromHex(r.serial_hex));
  internal::Asn1TimePtr when(ASN1_TIME_new());
  if (!when) return OpenSslFailure(StatusCode::kInternal, "ASN1_TIME");
  NFVSM_RETURN_IF_ERROR(internal::SetAsn1Time(when.get(), r.revoked_at));
  if (X509_REVOKED_set_serialNumber(revoked.get(), serial.get()) != 1 ||
      X509_REVOKED_set_revocationDate(revoked.get(), when.get()) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "revoked entry");
  }
  if (r.reason != RevocationReason::kUnspecified) {
    internal::Asn1EnumeratedPtr reason(ASN1_ENUMERATED_new());
    if (!reason ||
        ASN1_ENUMERATED_set(reason.get(), static_cast<long>(r.reason)) != 1 ||
        X509_REVOKED_add1_ext_i2d(revoked.get(), NID_crl_reason, reason.get(),
                                  0, X509V3_ADD_DEFAULT) != 1) {
      return OpenSslFailure(StatusCode::kInternal, "revocation reason");
    }
  }
  if (X509_CRL_add0_revoked(crl, revoked.get()) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "X509_CRL_add0_revoked");
  }
  revoked.release();  // owned by the CRL now
  return OkStatus();
}

void FreeX509Stack(STACK_OF(X509) * stack) {
  sk_X509_pop_free(stack, X509_free);
}
using X509StackPtr = internal::OpenSslPtr<STACK_OF(X509), FreeX509Stack>;

std::string CommonName(X509_NAME* name) {
  int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, index);
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(entry);
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) {
    internal::ClearOpenSslErrors();
    return {};
  }
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

StatusOr<std::string> CertificateAuthority::SignCrl(
    const std::vector<RevokedCertificate>& revoked, TimePoint now,
    Duration next_update, uint64_t crl_number) const {
  internal::X509CrlPtr crl(X509_CRL_new());
  if (!crl || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(
          crl.get(), X509_get_subject_name(impl_->certificate.get())) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "X509_CRL");
  }
  internal::Asn1TimePtr last(ASN1_TIME_new());
  internal::Asn1TimePtr next(ASN1_TIME_new());
  if (!last || !next) return OpenSslFailure(StatusCode::kInternal, "ASN1_TIME");
  NFVSM_RETURN_IF_ERROR(internal::SetAsn1Time(last.get(), now));
  NFVSM_RETURN_IF_ERROR(internal::SetAsn1Time(next.get(), now + next_update));
  if (X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "CRL update times");
  }
  for (const RevokedCertificate& r : revoked) {
    NFVSM_RETURN_IF_ERROR(AddRevoked(crl.get(), r));
  }
  internal::Asn1IntegerPtr number(ASN1_INTEGER_new());
  if (!number || ASN1_INTEGER_set_uint64(number.get(), crl_number) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0,
                            X509V3_ADD_DEFAULT) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "CRL number");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, impl_->certificate.get(), nullptr, nullptr, crl.get(),
                 0);
  internal::X509ExtensionPtr aki(X509V3_EXT_conf_nid(
      nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
  if (!aki || X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "CRL authority key id");
  }
  if (X509_CRL_sort(crl.get()) != 1 ||
      X509_CRL_sign(crl.get(), impl_->key.get(),
                    internal::SigningDigestFor(impl_->key.get())) <= 0) {
    return OpenSslFailure(StatusCode::kInternal, "cannot sign the CRL");
  }
  return CrlToDer(crl.get());
}

StatusOr<std::string> CertificateDerToPem(std::string_view der) {
  NFVSM_ASSIGN_OR_RETURN(X509Ptr cert, internal::ParseCertificateDer(der));
  return internal::CertificateToPem(cert.get());
}

StatusOr<CertificateInfo> InspectCertificate(std::string_view der) {
  NFVSM_ASSIGN_OR_RETURN(X509Ptr cert, internal::ParseCertificateDer(der));
  return internal::InspectParsed(cert);
}

StatusOr<CertificateInfo> internal::InspectParsed(const X509Ptr& cert) {
  CertificateInfo info;
  NFVSM_ASSIGN_OR_RETURN(
      info.serial_hex,
      internal::SerialToHex(X509_get0_serialNumber(cert.get())));
  info.subject_common_name = CommonName(X509_get_subject_name(cert.get()));
  info.issuer_common_name = CommonName(X509_get_issuer_name(cert.get()));
  NFVSM_ASSIGN_OR_RETURN(info.not_before, internal::Asn1TimeToTimePoint(
                                              X509_get0_notBefore(cert.get())));
  NFVSM_ASSIGN_OR_RETURN(info.not_after, internal::Asn1TimeToTimePoint(
                                             X509_get0_notAfter(cert.get())));
  info.is_ca = X509_check_ca(cert.get()) >= 1;
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  if (key != nullptr && EVP_PKEY_is_a(key, "ED25519") == 1) {
    info.public_key.assign(kPublicKeyBytes, '\0');
    size_t len = info.public_key.size();
    if (EVP_PKEY_get_raw_public_key(
            key, reinterpret_cast<unsigned char*>(info.public_key.data()),
            &len) != 1 ||
        len != kPublicKeyBytes) {
      return OpenSslFailure(StatusCode::kInvalidArgument,
                            "unreadable Ed25519 subject key");
    }
  }
  internal::GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (names) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
      if (name->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
      info.uris.emplace_back(
          reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
          static_cast<size_t>(ASN1_STRING_length(uri)));
    }
  }
  internal::ClearOpenSslErrors();
  return info;
}

Status VerifyCertificate(std::string_view leaf_der,
                         const std::vector<std::string>& chain_der,
                         TimePoint at, std::string_view crl_der) {
  if (chain_der.empty()) {
    return InvalidArgumentError("no CA certificate to verify against");
  }
  NFVSM_ASSIGN_OR_RETURN(X509Ptr leaf, internal::ParseCertificateDer(leaf_der));
  return internal::VerifyParsed(leaf, chain_der, at, crl_der);
}

Status internal::VerifyParsed(const X509Ptr& leaf,
                              const std::vector<std::string>& chain_der,
                              TimePoint at, std::string_view crl_der) {
  if (chain_der.empty()) {
    return InvalidArgumentError("no CA certificate to verify against");
  }
  internal::X509StorePtr store(X509_STORE_new());
  X509StackPtr untrusted(sk_X509_new_null());
  if (!store || !untrusted) {
    return OpenSslFailure(StatusCode::kInternal, "X509_STORE");
  }
  for (size_t i = 0; i < chain_der.size(); ++i) {
    NFVSM_ASSIGN_OR_RETURN(X509Ptr ca,
                           internal::ParseCertificateDer(chain_der[i]));
    const bool anchor = i + 1 == chain_der.size();
    if (anchor) {
      if (X509_STORE_add_cert(store.get(), ca.get()) != 1) {
        return OpenSslFailure(StatusCode::kInternal, "X509_STORE_add_cert");
      }
    } else {
      if (sk_X509_push(untrusted.get(), ca.get()) == 0) {
        return OpenSslFailure(StatusCode::kInternal, "sk_X509_push");
      }
      ca.release();  // owned by the stack now
    }
  }
  unsigned long flags = X509_V_FLAG_X509_STRICT;
  if (!crl_der.empty()) {
    const unsigned char* p =
        reinterpret_cast<const unsigned char*>(crl_der.data());
    internal::X509CrlPtr crl(
        d2i_X509_CRL(nullptr, &p, static_cast<long>(crl_der.size())));
    if (!crl) {
      return OpenSslFailure(StatusCode::kInvalidArgument, "not a DER CRL");
    }
    if (X509_STORE_add_crl(store.get(), crl.get()) != 1) {
      return OpenSslFailure(StatusCode::kInternal, "X509_STORE_add_crl");
    }
    flags |= X509_V_FLAG_CRL_CHECK;
  }
  internal::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(),
                                  untrusted.get()) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "X509_STORE_CTX_init");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, flags);
  X509_VERIFY_PARAM_set_time(
      param,
      static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(
                              at.time_since_epoch())
                              .count()));
  if (X509_verify_cert(ctx.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    internal::ClearOpenSslErrors();
    return UnauthenticatedError(std::string("certificate does not verify: ") +
                                X509_verify_cert_error_string(error));
  }
  return OkStatus();
}

}  // namespace nfvsm::vbs
