"""``python -m reglink``, and the file to give ``spark-submit``: the command line."""

from reglink.cli import main

if __name__ == "__main__":
    main()
