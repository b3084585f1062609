from volunteer_standard.cli import main

main()
