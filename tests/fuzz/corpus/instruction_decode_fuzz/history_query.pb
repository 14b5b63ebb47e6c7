
ins-5‚
vnf-1 