fn main() {
    let cli = oie_lint::cli::parse();
    std::process::exit(oie_lint::main_with_args(cli));
}
