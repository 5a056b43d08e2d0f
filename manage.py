#!/usr/bin/env python
from layan.cli import main

if __name__ == "__main__":
    main()
