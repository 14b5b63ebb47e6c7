
ins-1compromisedR
vnf-1
vnf-2 8