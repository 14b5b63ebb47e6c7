# Python modules of the wire schema (nfvsm.v1.<name>_pb2) for the OpenStack
# integration: nfvsm-actuator decodes ActuatorRequest with them. Generated
# into <build>/python/nfvsm/v1/, beside the extension nfvsm._nfvsm, which
# the package's extended __path__ finds (tests put <build>/python on
# PYTHONPATH). Needs Debian's python3-protobuf at run time.
if(TARGET protobuf::protoc)
  set(nfvsm_protoc $<TARGET_FILE:protobuf::protoc>)
else()
  set(nfvsm_protoc ${Protobuf_PROTOC_EXECUTABLE})
endif()
set(nfvsm_py_root ${PROJECT_BINARY_DIR}/python)
set(nfvsm_py_outputs ${nfvsm_py_root}/nfvsm/v1/__init__.py)
foreach(proto ${NFVSM_PROTOS})
  get_filename_component(stem ${proto} NAME_WE)
  list(APPEND nfvsm_py_outputs ${nfvsm_py_root}/nfvsm/v1/${stem}_pb2.py)
endforeach()
add_custom_command(
  OUTPUT ${nfvsm_py_outputs}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${nfvsm_py_root}/nfvsm/v1
  COMMAND ${nfvsm_protoc} -I ${CMAKE_CURRENT_SOURCE_DIR}
          --python_out=${nfvsm_py_root} ${NFVSM_PROTOS}
  COMMAND ${CMAKE_COMMAND} -E touch ${nfvsm_py_root}/nfvsm/v1/__init__.py
  DEPENDS ${NFVSM_PROTOS}
  COMMENT "Generating the Python modules of nfvsm/v1/*.proto"
  VERBATIM)
add_custom_target(nfvsm_proto_python ALL DEPENDS ${nfvsm_py_outputs})
