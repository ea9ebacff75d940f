using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityProvider.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UserListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_DisplayName_NormalizedEmail",
                table: "AspNetUsers",
                columns: new[] { "DisplayName", "NormalizedEmail" });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_NormalizedEmail_Trigram",
                table: "AspNetUsers",
                column: "NormalizedEmail")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            // The search compares upper("DisplayName"); EF's model cannot describe an expression index.
            migrationBuilder.Sql("""CREATE INDEX "IX_AspNetUsers_DisplayName_Trigram" ON "AspNetUsers" USING gin (upper("DisplayName") gin_trgm_ops);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_AspNetUsers_DisplayName_Trigram";""");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_DisplayName_NormalizedEmail",
                table: "AspNetUsers");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_NormalizedEmail_Trigram",
                table: "AspNetUsers");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
