using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityProvider.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditLogIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_ClientId_At",
                table: "AuditEvents",
                columns: new[] { "ClientId", "At" });

            // The user filter compares upper("UserEmail"); EF's model cannot describe an expression index.
            migrationBuilder.Sql("""CREATE INDEX "IX_AuditEvents_UserEmail_Trigram" ON "AuditEvents" USING gin (upper("UserEmail") gin_trgm_ops);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_AuditEvents_UserEmail_Trigram";""");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_ClientId_At",
                table: "AuditEvents");
        }
    }
}
