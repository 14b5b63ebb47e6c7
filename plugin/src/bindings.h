// Registration functions of the parts of nfvsm._nfvsm (module.cc calls
// them in order: exceptions first, since the others raise them).
//
// Thread safety: called once, with the GIL, at import.
// Failures: a registration failure raises ImportError through pybind11.
#ifndef NFVSM_PLUGIN_BINDINGS_H_
#define NFVSM_PLUGIN_BINDINGS_H_

#include <pybind11/pybind11.h>

namespace nfvsm::python {

void RegisterGate(pybind11::module_& m);
void RegisterAdmin(pybind11::module_& m);
// Only in builds with the VBS programs (NFVSM_PYTHON_WITH_VBS).
void RegisterVbsAgent(pybind11::module_& m);

}  // namespace nfvsm::python

#endif  // NFVSM_PLUGIN_BINDINGS_H_
