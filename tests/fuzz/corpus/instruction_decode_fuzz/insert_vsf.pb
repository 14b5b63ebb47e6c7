
ins-4j
ns-1

fwab