"""Local stand-ins for the outside services estate talks to, answering as they do."""
