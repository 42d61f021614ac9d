from ficbook.cli.app import main

main()
