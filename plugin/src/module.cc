// nfvsm._nfvsm: the entry point of the extension (see plugin/README.md).
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "errors.h"

PYBIND11_MODULE(_nfvsm, m) {
  m.doc() =
      "nfvsm bus clients for OpenStack hooks: gate checks, administration "
      "and the VBS agent. Import through the nfvsm package.";
  nfvsm::python::RegisterExceptions(m);
  nfvsm::python::RegisterGate(m);
  nfvsm::python::RegisterAdmin(m);
#ifdef NFVSM_PYTHON_WITH_VBS
  nfvsm::python::RegisterVbsAgent(m);
  m.attr("HAVE_VBS_AGENT") = true;
#else
  m.attr("HAVE_VBS_AGENT") = false;
#endif
}
