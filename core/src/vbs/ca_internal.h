// Shared between the certificate-authority translation units.
#ifndef NFVSM_VBS_CA_INTERNAL_H_
#define NFVSM_VBS_CA_INTERNAL_H_

#include <vector>

#include "nfvsm/vbs_credential.h"
#include "vbs/x509_util.h"

namespace nfvsm::vbs {

struct CertificateAuthority::Impl {
  internal::PkeyPtr key;
  internal::X509Ptr certificate;  // the issuing CA certificate
  // Extensions every credential carries the same (basic constraints, key
  // usages, authority key id), built once rather than parsed from their
  // text form on every issue.
  std::vector<internal::X509ExtensionPtr> leaf_extensions;
};

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_CA_INTERNAL_H_
