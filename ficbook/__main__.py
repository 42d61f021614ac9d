from ficbook.cli.entry import main

main()
