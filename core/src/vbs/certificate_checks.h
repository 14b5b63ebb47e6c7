// InspectCertificate and VerifyCertificate on an already parsed
// certificate: with OpenSSL 3.0 each parse decodes the subject key through
// the decoder framework (about as costly as a signature check), so the
// agent parses the certificate it receives once.
#ifndef NFVSM_VBS_CERTIFICATE_CHECKS_H_
#define NFVSM_VBS_CERTIFICATE_CHECKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/vbs_credential.h"
#include "vbs/x509_util.h"

namespace nfvsm::vbs::internal {

StatusOr<CertificateInfo> InspectParsed(const X509Ptr& cert);
Status VerifyParsed(const X509Ptr& leaf,
                    const std::vector<std::string>& chain_der, TimePoint at,
                    std::string_view crl_der);

}  // namespace nfvsm::vbs::internal

#endif  // NFVSM_VBS_CERTIFICATE_CHECKS_H_
