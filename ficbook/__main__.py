from ficbook.cli import main

main()
