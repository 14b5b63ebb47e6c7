# nfvsm-actuator (engineer "actuator"): each step against a local HTTP stub
# of Nova/Glance/Keystone/Tacker, its RPC and OSS/BSS notice on the private
# RabbitMQ node, and the end-to-end path from the real gateway
# ([actuator] driver = bus). Needs the generated nfvsm.v1 *_pb2 modules
# (target nfvsm_proto_python) and python3-protobuf, python3-kombu.
nfvsm_python_test(NAME python_actuator_test DIR actuator)
if(TARGET nfvsm_proto_python)
  add_dependencies(nfvsm_python_test_deps nfvsm_proto_python)
endif()
