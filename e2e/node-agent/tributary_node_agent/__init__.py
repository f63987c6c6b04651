"""tributary-node-agent: a process-based stand-in for kubelet, for end-to-end tests only."""
